#include "backends/sim/os/tcp_listener.h"

#include "backends/sim/machine/rng.h"
#include "services/net/headers.h"

namespace offsched::sim {

namespace {
constexpr uint64_t kTcpTimeoutInitNs = 1000000000ull; // TCP_TIMEOUT_INIT, the first SYN-ACK RTO
constexpr uint16_t kServerSynAckWindow = 65160;       // Linux 6.1's SYN-ACK window with default tcp_rmem
constexpr uint16_t kServerWindow = 509;               // 65152 bytes at window scale 7
uint32_t proxy_isn(uint32_t conn) { return static_cast<uint32_t>(splitmix64(conn ^ 0x5359504eull)); }
} // namespace

uint32_t listener_isn(uint32_t conn) { return static_cast<uint32_t>(splitmix64(conn ^ 0x53594eull)); }

Listener::Listener(const SimParams& p, Ledger& ledger, Clients& clients, AcceptRouter& router, HostWire& wire)
    : os_(p.os), legit_(p.legit), ledger_(ledger), clients_(clients), router_(router), wire_(wire),
      // A request sock lives through the SYN-ACK retransmits: 1 + 2 + ... + 2^retries RTOs.
      reqsk_life_ns_(kTcpTimeoutInitNs * ((2ull << p.os.synack_retries) - 1))
{
}

Listener::ConnState& Listener::state(uint32_t conn)
{
    if (conn >= server_.size()) server_.resize(conn + 1);
    return server_[conn];
}

uint32_t Listener::client_view_isn(uint32_t conn) const { return os_.synproxy ? proxy_isn(conn) : listener_isn(conn); }

void Listener::expire(uint64_t t_ns)
{
    while (!flood_batches_.empty() && flood_batches_.front().first <= t_ns) {
        flood_reqsk_ -= flood_batches_.front().second;
        flood_batches_.pop_front();
    }
    for (auto it = legit_reqsk_.begin(); it != legit_reqsk_.end();) {
        if (it->second <= t_ns) {
            if (server_[it->first].st == Server::Reqsk) server_[it->first].st = Server::None;
            it = legit_reqsk_.erase(it);
        } else {
            ++it;
        }
    }
}

void Listener::send_synack(uint32_t conn, uint32_t isn, uint16_t window, uint64_t t_ns)
{
    WireSeg s;
    s.flags = net::kTcpSyn | net::kTcpAck;
    s.seq = isn;
    s.ack = clients_.conn(conn).isn + 1;
    s.window = window;
    s.tsval = server_tsval(t_ns);
    wire_.send(conn, s, t_ns);
}

uint64_t Listener::flood_syns(uint64_t n, uint64_t t_ns)
{
    if (os_.synproxy) { // the SYNPROXY target answers every one, statelessly
        ledger_.fate(FloodFate::OsSynproxy, n);
        backscatter_ += n;
        return n * os_.synproxy_syn_cycles;
    }
    expire(t_ns);
    uint64_t m = 0;
    if (reqsk_room()) {
        m = os_.syn_backlog - request_socks();
        if (m > n) m = n;
        const uint64_t exp = t_ns + reqsk_life_ns_;
        if (!flood_batches_.empty() && flood_batches_.back().first == exp) flood_batches_.back().second += m;
        else flood_batches_.emplace_back(exp, m);
        flood_reqsk_ += m;
        ledger_.fate(FloodFate::OsRequestSock, m);
    }
    const uint64_t rest = n - m;
    backscatter_ += m;
    if (os_.syncookies) {
        cookies_ += rest;
        backscatter_ += rest;
        ledger_.fate(FloodFate::OsSynCookie, rest);
        return m * os_.syn_cycles + rest * os_.syn_cookie_cycles;
    }
    ledger_.fate(FloodFate::OsDropped, rest);
    ledger_.drop(Drop::SynNoCookie, rest);
    return m * os_.syn_cycles;
}

uint64_t Listener::legit(const Slot& s, uint32_t core, uint64_t t_ns)
{
    if (s.seg == LegitSeg::Syn) return legit_syn(s.conn, t_ns);
    if (s.bad_ack) { // acks nothing the server sent (a proxy that did not translate): RST
        ledger_.drop(Drop::AckWithoutState);
        return os_.established_cycles;
    }
    ConnState& c = state(s.conn);
    if (c.st == Server::ProxyCookie) {
        if (s.seg == LegitSeg::Ack || s.seg == LegitSeg::Probe) return proxy_ack(s.conn, core, t_ns);
        ledger_.drop(Drop::AckWithoutState); // data before the window opened: SYNPROXY drops it
        return os_.conntrack_cycles;
    }
    const uint64_t tracked = os_.synproxy ? os_.conntrack_cycles : 0;
    if (s.seg == LegitSeg::Fin || s.seg == LegitSeg::Probe) return os_.established_cycles + tracked;
    return legit_ack(s.conn, core, t_ns, s.seg == LegitSeg::Data) + tracked;
}

uint64_t Listener::legit_syn(uint32_t conn, uint64_t t_ns)
{
    ConnState& c = state(conn);
    if (os_.synproxy) {
        if (c.st == Server::None || c.st == Server::ProxyCookie) {
            c.st = Server::ProxyCookie; // no state in fact: SYNPROXY's cookie is recomputed on the ACK
            send_synack(conn, proxy_isn(conn), 0, t_ns);
            return os_.synproxy_syn_cycles;
        }
        return os_.established_cycles + os_.conntrack_cycles;
    }
    expire(t_ns);
    switch (c.st) {
    case Server::Child:
        return os_.established_cycles; // a stray retransmit for a socket that already exists
    case Server::Reqsk:
        send_synack(conn, listener_isn(conn), kServerSynAckWindow, t_ns); // retransmit the SYN-ACK
        return os_.syn_cycles;
    case Server::None:
    case Server::Cookie:
    case Server::ProxyCookie:
        break;
    }
    if (reqsk_room()) {
        c.st = Server::Reqsk;
        legit_reqsk_[conn] = t_ns + reqsk_life_ns_;
        send_synack(conn, listener_isn(conn), kServerSynAckWindow, t_ns);
        return os_.syn_cycles;
    }
    if (os_.syncookies) {
        c.st = Server::Cookie;
        ++cookies_;
        send_synack(conn, listener_isn(conn), kServerSynAckWindow, t_ns);
        return os_.syn_cookie_cycles;
    }
    ledger_.drop(Drop::SynNoCookie);
    return 0;
}

uint64_t Listener::legit_ack(uint32_t conn, uint32_t core, uint64_t t_ns, bool request)
{
    expire(t_ns);
    ConnState& c = state(conn);
    switch (c.st) {
    case Server::Child: // retransmitted data, or the request after a pure handshake ACK
        if (request && !c.request) {
            c.request = true;
            if (c.accepted) respond(conn, t_ns);
        }
        return os_.established_cycles;
    case Server::None:
    case Server::ProxyCookie:
        ledger_.drop(Drop::AckWithoutState); // answered with a RST
        return os_.established_cycles;
    case Server::Reqsk:
    case Server::Cookie:
        break;
    }
    if (accept_len_ >= os_.accept_backlog) {
        ledger_.drop(Drop::AcceptQueueFull); // the client's retransmit will try again
        return os_.ack_cycles;
    }
    if (c.st == Server::Reqsk) legit_reqsk_.erase(conn);
    c.st = Server::Child;
    c.request = request;
    ++accept_len_;
    router_.enqueue_accept(conn, core);
    return os_.ack_cycles;
}

// SYNPROXY validated the client's ACK: the listener gets a SYN (request sock), its SYN-ACK is
// absorbed, SYNPROXY ACKs it (child socket, accept queue) and opens the client's window.
uint64_t Listener::proxy_ack(uint32_t conn, uint32_t core, uint64_t t_ns)
{
    ConnState& c = state(conn);
    if (accept_len_ >= os_.accept_backlog) {
        ledger_.drop(Drop::AcceptQueueFull); // the client's window probe will try again
        return os_.synproxy_ack_cycles + os_.syn_cycles;
    }
    c.st = Server::Child;
    ++accept_len_;
    router_.enqueue_accept(conn, core);
    WireSeg w;
    w.flags = net::kTcpAck;
    w.seq = proxy_isn(conn) + 1;
    w.ack = clients_.conn(conn).isn + 1;
    w.window = kServerWindow;
    w.tsval = server_tsval(t_ns);
    wire_.send(conn, w, t_ns);
    return os_.synproxy_ack_cycles + os_.syn_cycles + os_.ack_cycles;
}

uint64_t Listener::app_cycles() const
{
    // With SYNPROXY, each response segment also goes through conntrack and seqadj on its way out.
    const uint64_t out = os_.synproxy ? uint64_t{legit_.response_segments} * os_.conntrack_cycles : 0;
    return os_.accept_cycles + out;
}

void Listener::app_done(uint32_t conn, uint64_t t_ns)
{
    if (!clients_.http()) return clients_.accepted(conn, t_ns);
    ConnState& c = state(conn);
    c.accepted = true;
    if (c.request) respond(conn, t_ns);
}

void Listener::respond(uint32_t conn, uint64_t t_ns)
{
    ConnState& c = state(conn);
    if (c.responded) return;
    c.responded = true;
    const uint32_t n = legit_.response_segments;
    for (uint32_t k = 0; k < n; ++k) {
        WireSeg w;
        w.flags = net::kTcpAck | net::kTcpPsh | (k + 1 == n ? net::kTcpFin : 0);
        w.seq = client_view_isn(conn) + 1 + k * uint32_t{kResponseSegmentBytes};
        w.ack = clients_.conn(conn).isn + 1 + request_bytes(true);
        w.window = kServerWindow;
        w.payload = kResponseSegmentBytes;
        w.tsval = server_tsval(t_ns);
        wire_.send(conn, w, t_ns);
    }
}

} // namespace offsched::sim
