#include "backends/sim/traffic/clients.h"

#include <algorithm>

#include "backends/sim/traffic/arrival_stream.h"
#include "backends/sim/traffic/exp_sample.h"
#include "backends/sim/machine/timebase.h"
#include "backends/sim/trace/trace_sink.h"
#include "services/net/headers.h"

namespace offsched::sim {

namespace {
const uint8_t kBanner[] = "SSH-2.0-OpenSSH_9.2p1\r\n";
const uint8_t kHttpGet[] = "GET /index.html HTTP/1.1\r\nHost: server\r\n\r\n";
uint64_t addr_key(uint32_t ip, uint16_t port) { return (uint64_t{ip} << 16) | port; }
} // namespace

uint16_t request_bytes(bool http) { return static_cast<uint16_t>(http ? sizeof kHttpGet - 1 : sizeof kBanner - 1); }
const uint8_t* request_payload(bool http) { return http ? kHttpGet : kBanner; }

Clients::Clients(sc_core::sc_module_name name, const SimParams& p, Nic& nic, const Rss& rss, uint64_t seed)
    : sc_module(name), p_(p), nic_(nic), rss_(rss), rng_(splitmix64(seed ^ 0x6c656769ull)),
      gap_rng_(splitmix64(seed ^ 0x61727276ull))
{
    SC_METHOD(run);
    sensitive << wake_;
    dont_initialize();
    if (p.legit.users) {
        // Closed loop: the users start spread over one think time (all at once without one).
        for (uint64_t u = 0; u < p.legit.users; ++u) at(p.legit.think_ns * u / p.legit.users, Ev::NewConn, 0);
    } else if (p.legit.connect_rate) {
        at(0, Ev::NewConn, 0);
    }
}

void Clients::at(uint64_t t, Ev ev, uint32_t conn, uint32_t arg, uint64_t caller_ps)
{
    const bool earliest = heap_.empty() || t < heap_.top().t;
    heap_.push({t, seq_++, ev, conn, arg});
    if (earliest) {
        // t is in whole ns; the wake keeps the caller's sub-ns phase (as a delay of t - now in ns
        // from the caller always did), so a caller ahead of SystemC time wakes us at the same ps.
        const uint64_t wake = t * 1000 + caller_ps % 1000;
        const uint64_t now = now_ps();
        wake_.notify(Timebase::ps(wake > now ? wake - now : 0));
    }
}

void Clients::send(uint32_t id, LegitSeg seg, uint64_t now)
{
    const Conn& c = conns_[id];
    Slot s;
    s.kind = PktKind::Legit;
    s.seg = seg;
    s.queue = c.queue;
    s.conn = id;
    s.t_ns = now + p_.legit.one_way_ns;
    nic_.inject(s);
}

void Clients::new_conn(uint64_t now)
{
    Conn c;
    const uint32_t span = p_.legit.client_net.prefix_len >= 31 ? 1 : (1u << (32 - p_.legit.client_net.prefix_len)) - 2;
    for (;;) { // a fresh (address, ephemeral port) pair, as ip_local_port_range 32768-60999
        c.ip = p_.legit.client_net.addr + 1 + static_cast<uint32_t>(rng_.below(std::min<uint64_t>(p_.legit.clients, span)));
        c.port = static_cast<uint16_t>(32768 + rng_.below(28232));
        if (by_addr_.find(addr_key(c.ip, c.port)) < 0) break;
    }
    c.queue = static_cast<uint16_t>(rss_.queue_of_hash(rss_hash(c)));
    c.t_start = now;
    c.isn = static_cast<uint32_t>(rng_.next());
    c.syns_sent = 1;
    c.syn_rto = p_.legit.syn_rto_ns;
    const auto id = static_cast<uint32_t>(conns_.size());
    conns_.push_back(c);
    by_addr_.insert(addr_key(c.ip, c.port), id);
    trace::current().flow(now, id, trace::FlowStep::Connect);
    send(id, LegitSeg::Syn, now);
    at(now + c.syn_rto, Ev::SynRto, id);
    at(now + p_.legit.connect_timeout_ns, Ev::Timeout, id);
    if (!p_.legit.users) at(now + next_conn_gap_ns(), Ev::NewConn, 0);
}

// A connection ended (accepted, response in, or given up): in a closed loop its user thinks and
// starts the next one.
void Clients::ended(uint64_t t_ns)
{
    if (!p_.legit.users) return;
    const uint64_t think = p_.legit.think_ns;
    const bool random = static_cast<Arrivals>(p_.legit.arrivals) == Arrivals::Poisson;
    at(t_ns + (random ? exp_with_mean(gap_rng_.next(), think) : think), Ev::NewConn, 0);
}

uint64_t Clients::next_conn_gap_ns()
{
    const uint64_t rate = p_.legit.connect_rate, n = conns_started_++;
    // Attempt n of an evenly spaced sequence starts at floor(n * 1 s / rate): no drift.
    const auto even = [rate](uint64_t i) { return static_cast<uint64_t>(static_cast<unsigned __int128>(i) * 1000000000ull / rate); };
    switch (static_cast<Arrivals>(p_.legit.arrivals)) {
    case Arrivals::Constant:
        return even(n + 1) - even(n);
    case Arrivals::Poisson: // exponential gaps, mean 1 s / rate
        return exp_with_mean(gap_rng_.next(), 1000000000ull / rate);
    case Arrivals::OnOff: { // burst_connections at once, bursts evenly spaced
        const uint64_t b = p_.legit.burst_connections;
        return (n + 1) % b ? 0 : even(n + 1) - even(n + 1 - b);
    }
    }
    return even(n + 1) - even(n);
}

void Clients::run()
{
    const uint64_t now = now_ns();
    while (!heap_.empty() && heap_.top().t <= now) {
        const Timed e = heap_.top();
        heap_.pop();
        if (e.ev == Ev::NewConn) { new_conn(now); continue; }
        Conn& c = conns_[e.conn];
        switch (e.ev) {
        case Ev::SynRto:
            if (c.state != Conn::State::SynSent) break;
            if (c.syns_sent > p_.legit.syn_retries) {
                c.state = Conn::State::Failed;
                trace::current().flow(now, e.conn, trace::FlowStep::GiveUp);
                ended(now);
                break;
            }
            ++c.syns_sent;
            send(e.conn, LegitSeg::Syn, now);
            c.syn_rto *= 2;
            at(now + c.syn_rto, Ev::SynRto, e.conn);
            break;
        case Ev::Segment:
            on_segment(e.conn, inbox_[e.arg], now);
            break;
        case Ev::AckRto:
            // No response to our request (or, in WaitWindow, still a zero window): send it again,
            // or probe the window, with the RTO doubled each time.
            if (c.state == Conn::State::AckSent) send(e.conn, LegitSeg::Data, now);
            else if (c.state == Conn::State::WaitWindow) send(e.conn, LegitSeg::Probe, now);
            else break;
            c.ack_rto *= 2;
            at(now + c.ack_rto, Ev::AckRto, e.conn);
            break;
        case Ev::Timeout:
            if (c.state == Conn::State::SynSent || c.state == Conn::State::WaitWindow || c.state == Conn::State::AckSent) {
                c.state = Conn::State::Failed;
                trace::current().flow(now, e.conn, trace::FlowStep::GiveUp);
                ended(now);
            }
            break;
        case Ev::NewConn: break;
        }
    }
    if (!heap_.empty()) wake_.notify(Timebase::ns(heap_.top().t - now));
}

void Clients::receive(uint32_t conn, const WireSeg& s, uint64_t t_ns, uint64_t sender_ps)
{
    if ((s.flags & (net::kTcpSyn | net::kTcpAck)) == (net::kTcpSyn | net::kTcpAck))
        trace::current().flow(t_ns, conn, trace::FlowStep::SynAckOut);
    inbox_.push_back(s);
    at(t_ns + p_.legit.one_way_ns, Ev::Segment, conn, static_cast<uint32_t>(inbox_.size() - 1), sender_ps);
}

void Clients::send_request(uint32_t id, uint64_t now)
{
    Conn& c = conns_[id];
    c.state = Conn::State::AckSent;
    c.ack_rto = p_.legit.rto_min_ns;
    send(id, LegitSeg::Data, now);
    at(now + c.ack_rto, Ev::AckRto, id);
}

// What a client's TCP does with a segment from the server, checking it is for this connection.
void Clients::on_segment(uint32_t id, const WireSeg& s, uint64_t now)
{
    Conn& c = conns_[id];
    const uint8_t f = s.flags;
    if ((f & (net::kTcpSyn | net::kTcpAck)) == (net::kTcpSyn | net::kTcpAck)) {
        if (s.ack != c.isn + 1) { ++bad_segments_; return; }
        if (c.state == Conn::State::SynSent) {
            c.server_isn = s.seq;
            c.ts_recent = s.tsval;
            if (s.window == 0) { // a SYN proxy holds our data until the server is ready
                c.state = Conn::State::WaitWindow;
                c.ack_rto = p_.legit.rto_min_ns;
                send(id, LegitSeg::Ack, now);
                at(now + c.ack_rto, Ev::AckRto, id);
            } else {
                send_request(id, now);
            }
        } else if (c.state == Conn::State::WaitWindow || c.state == Conn::State::AckSent) {
            send(id, c.state == Conn::State::WaitWindow ? LegitSeg::Ack : LegitSeg::Data, now); // our ACK was lost
        }
        return;
    }
    if (c.state != Conn::State::WaitWindow && c.state != Conn::State::AckSent) return;
    if (f & net::kTcpRst) { // refused
        if (s.seq == c.server_isn + 1) {
            c.state = Conn::State::Failed;
            trace::current().flow(now, id, trace::FlowStep::GiveUp);
            ended(now);
        } else {
            ++bad_segments_;
        }
        return;
    }
    const uint32_t resp_start = c.server_isn + 1;
    if (c.state == Conn::State::WaitWindow) {
        if (s.seq == resp_start && s.ack == c.isn + 1 && s.window > 0) {
            c.ts_recent = s.tsval;
            send_request(id, now);
        } else {
            ++bad_segments_;
        }
        return;
    }
    if (!http() || !s.payload) return; // an ACK of our request
    if (s.seq != resp_start + c.resp_got * uint32_t{kResponseSegmentBytes} || s.ack != c.isn + 1 + request_bytes(true)) {
        ++bad_segments_; // out of window for this connection: a real TCP drops it
        return;
    }
    c.ts_recent = s.tsval;
    if (++c.resp_got == p_.legit.response_segments && (f & net::kTcpFin)) {
        c.state = Conn::State::Established;
        c.t_done = now;
        trace::current().flow(now, id, trace::FlowStep::Accept);
        send(id, LegitSeg::Fin, now);
        ended(now);
    }
}

void Clients::accepted(uint32_t conn, uint64_t t_ns)
{
    if (http()) return; // an HTTP client is done when the response is in, not at accept()
    Conn& c = conns_[conn];
    if (c.state == Conn::State::Established) return;
    // A server accepting after the client gave up is still a failure for the user.
    if (c.state == Conn::State::Failed) return;
    c.state = Conn::State::Established;
    c.t_done = t_ns;
    ended(t_ns);
}

int64_t Clients::find(uint32_t ip, uint16_t port) const { return by_addr_.find(addr_key(ip, port)); }

bool Clients::is_client_ip(uint32_t ip) const
{
    const uint32_t pl = p_.legit.client_net.prefix_len;
    const uint32_t mask = pl == 0 ? 0 : ~0u << (32 - pl);
    return (ip & mask) == (p_.legit.client_net.addr & mask);
}

bool Clients::ipv6(uint32_t ip) const
{
    if (!p_.legit.ipv6_percent) return false;
    const uint64_t index = ip - p_.legit.client_net.addr - 1;
    return splitmix64(index ^ 0x6970763600000000ull) % 100 < p_.legit.ipv6_percent; // fixed per address
}

void Clients::ip6(uint32_t ip, uint64_t out[2]) const
{
    out[0] = p_.legit.client_net6.v6[0];
    out[1] = uint64_t{ip - p_.legit.client_net.addr}; // index + 1
}

int64_t Clients::find6(const uint64_t* a, uint16_t port) const
{
    if (a[0] != p_.legit.client_net6.v6[0] || a[1] == 0 || a[1] > 0xffffffffull) return -1;
    const uint32_t ip = p_.legit.client_net.addr + static_cast<uint32_t>(a[1]);
    return ipv6(ip) ? find(ip, port) : -1;
}

uint32_t Clients::rss_hash(const Conn& c) const
{
    const uint16_t server_port = static_cast<uint16_t>(p_.machine.ssh_port);
    if (!ipv6(c.ip)) return rss_.hash(c.ip, p_.machine.server_ip, c.port, server_port);
    uint64_t a[2];
    ip6(c.ip, a);
    return rss_.addr6_hash(0, a) ^ rss_.addr6_hash(1, kServerIp6) ^ rss_.port6_hash(c.port, server_port);
}

// Attempts started in [warmup, end - connect_timeout] had their whole timeout inside the run.
LegitSummary Clients::summary(uint64_t end_ns) const
{
    LegitSummary s;
    const uint64_t lo = p_.run.warmup_ns;
    const uint64_t hi = end_ns > p_.legit.connect_timeout_ns + lo ? end_ns - p_.legit.connect_timeout_ns : lo;
    std::vector<uint64_t> lat;
    for (const Conn& c : conns_) {
        if (c.t_start < lo || c.t_start >= hi) continue;
        ++s.attempts;
        if (c.state == Conn::State::Established && c.t_done - c.t_start <= p_.legit.connect_timeout_ns) {
            ++s.established;
            lat.push_back(c.t_done - c.t_start);
        }
    }
    s.success_ppm = s.attempts ? s.established * 1000000ull / s.attempts : 0;
    s.per_s = hi > lo ? s.established * 1000000000ull / (hi - lo) : 0;
    if (!lat.empty()) {
        std::sort(lat.begin(), lat.end());
        s.p50_ns = lat[(lat.size() - 1) / 2];
        s.p99_ns = lat[(lat.size() - 1) * 99 / 100];
        s.max_ns = lat.back();
    }
    return s;
}

} // namespace offsched::sim
