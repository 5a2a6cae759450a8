#include "backends/sim/tcp_listener.h"

#include "backends/sim/rng.h"

namespace offsched::sim {

namespace {
constexpr uint64_t kTcpTimeoutInitNs = 1000000000ull; // TCP_TIMEOUT_INIT, the first SYN-ACK RTO
}

Listener::Listener(const OsParams& os, Ledger& ledger, Clients& clients, AcceptRouter& router)
    : os_(os), ledger_(ledger), clients_(clients), router_(router),
      // A request sock lives through the SYN-ACK retransmits: 1 + 2 + ... + 2^retries RTOs.
      reqsk_life_ns_(kTcpTimeoutInitNs * ((2ull << os.synack_retries) - 1))
{
}

Listener::Server& Listener::state(uint32_t conn)
{
    if (conn >= server_.size()) server_.resize(conn + 1, Server::None);
    return server_[conn];
}

uint32_t Listener::server_isn(uint32_t conn) const { return static_cast<uint32_t>(splitmix64(conn ^ 0x53594eull)); }

void Listener::expire(uint64_t t_ns)
{
    while (!flood_batches_.empty() && flood_batches_.front().first <= t_ns) {
        flood_reqsk_ -= flood_batches_.front().second;
        flood_batches_.pop_front();
    }
    for (auto it = legit_reqsk_.begin(); it != legit_reqsk_.end();) {
        if (it->second <= t_ns) {
            if (server_[it->first] == Server::Reqsk) server_[it->first] = Server::None;
            it = legit_reqsk_.erase(it);
        } else {
            ++it;
        }
    }
}

uint64_t Listener::flood_syns(uint64_t n, uint64_t t_ns)
{
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
    if (os_.syncookies) {
        cookies_ += rest;
        ledger_.fate(FloodFate::OsSynCookie, rest);
        return m * os_.syn_cycles + rest * os_.syn_cookie_cycles;
    }
    ledger_.fate(FloodFate::OsDropped, rest);
    ledger_.drop(Drop::SynNoCookie, rest);
    return m * os_.syn_cycles;
}

uint64_t Listener::legit_syn(uint32_t conn, uint64_t t_ns)
{
    expire(t_ns);
    Server& st = state(conn);
    switch (st) {
    case Server::Child:
        return os_.established_cycles; // a stray retransmit for a socket that already exists
    case Server::Reqsk:
        clients_.synack_sent(conn, server_isn(conn), t_ns); // retransmit the SYN-ACK
        return os_.syn_cycles;
    case Server::None:
    case Server::Cookie:
        break;
    }
    if (reqsk_room()) {
        st = Server::Reqsk;
        legit_reqsk_[conn] = t_ns + reqsk_life_ns_;
        clients_.synack_sent(conn, server_isn(conn), t_ns);
        return os_.syn_cycles;
    }
    if (os_.syncookies) {
        st = Server::Cookie;
        ++cookies_;
        clients_.synack_sent(conn, server_isn(conn), t_ns);
        return os_.syn_cookie_cycles;
    }
    ledger_.drop(Drop::SynNoCookie);
    return 0;
}

uint64_t Listener::legit_ack(uint32_t conn, uint32_t core, uint64_t t_ns)
{
    expire(t_ns);
    Server& st = state(conn);
    switch (st) {
    case Server::Child:
        return os_.established_cycles; // retransmitted data segment: already ours
    case Server::None:
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
    if (st == Server::Reqsk) legit_reqsk_.erase(conn);
    st = Server::Child;
    ++accept_len_;
    router_.enqueue_accept(conn, core);
    return os_.ack_cycles;
}

} // namespace offsched::sim
