// Legitimate clients: connection attempts at a rate, SYN retransmits (1 s, 2 s, 4 s...), and a
// connect timeout after which the attempt counts as failed. Two kinds (legit.response_segments):
//  - ssh-like: the handshake ACK rides on the client's first data segment (retransmitted from
//    TCP_RTO_MIN); success is sshd's accept();
//  - HTTP-like: the client sends a request and succeeds when the whole response is in, checking
//    that every segment's sequence number continues the server's as the client saw it (a proxy
//    that forgot to translate one fails here, as a real TCP would drop it).
// A SYN-ACK with a zero window (a SYN proxy's) is answered with a pure ACK; the data waits for a
// window update, probing the window from TCP_RTO_MIN as Linux's persist timer does. Few
// individual records: one per connection, driven by one timed event heap.
#pragma once

#include <cstdint>
#include <queue>
#include <utility>
#include <vector>

#include <systemc>

#include "backends/sim/offload/flat_index.h"
#include "backends/sim/os/host_wire.h"
#include "backends/sim/hw/nic.h"
#include "backends/sim/run/params.h"
#include "backends/sim/machine/rng.h"
#include "backends/sim/hw/rss.h"

namespace offsched::sim {

// The host's IPv6 address, 2001:db8::1 (documentation range): where IPv6 clients and the IPv6
// flood go.
constexpr uint64_t kServerIp6[2] = {0x20010db800000000ull, 1};

struct Conn {
    // SynSent -> (WaitWindow ->) AckSent (request out) -> Established (accepted / response in)
    enum class State : uint8_t { SynSent, WaitWindow, AckSent, Established, Failed };
    uint32_t ip = 0;          // the client's address (its key; an IPv6 client's frames carry ip6())
    uint16_t port = 0;
    uint16_t queue = 0;
    uint64_t t_start = 0;
    uint64_t t_done = 0;
    uint32_t isn = 0;
    uint32_t server_isn = 0;  // as the client saw it in the SYN-ACK
    uint32_t ts_recent = 0;   // the server's last TSval (echoed in our TSecr)
    uint32_t resp_got = 0;    // response segments received in order
    State state = State::SynSent;
    uint32_t syns_sent = 0;
    uint64_t syn_rto = 0;
    uint64_t ack_rto = 0;
};

// The request a client sends (its first data segment): an ssh banner or an HTTP GET.
uint16_t request_bytes(bool http);
const uint8_t* request_payload(bool http);

struct LegitSummary {
    uint64_t attempts = 0, established = 0, success_ppm = 0;
    uint64_t per_s = 0; // established per second of the window attempts are counted in
    uint64_t p50_ns = 0, p99_ns = 0, max_ns = 0;
};

class Clients : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(Clients);
    Clients(sc_core::sc_module_name name, const SimParams& p, Nic& nic, const Rss& rss, uint64_t seed);

    // The server (or a service in its name) sent s at t_ns; it reaches the client one_way_ns
    // later. sender_ps: the sender's exact time, which may be ahead of SystemC time (an offload
    // core's batched step).
    void receive(uint32_t conn, const WireSeg& s, uint64_t t_ns, uint64_t sender_ps = now_ps());
    // sshd's accept() returned this connection at t_ns.
    void accepted(uint32_t conn, uint64_t t_ns);

    // Connection id by client address and port, or -1.
    int64_t find(uint32_t ip, uint16_t port) const;
    const Conn& conn(uint32_t id) const { return conns_[id]; }
    uint32_t conn_count() const { return static_cast<uint32_t>(conns_.size()); }
    bool is_client_ip(uint32_t ip) const;
    // legit.ipv6_percent: whether the client of (IPv4 key) address ip connects over IPv6, its
    // IPv6 address (client_net6 + 1 + its index), the connection of an IPv6 address and port
    // (-1: none), and a connection's RSS hash over the tuple its frames really carry.
    bool ipv6(uint32_t ip) const;
    void ip6(uint32_t ip, uint64_t out[2]) const;
    int64_t find6(const uint64_t* addr, uint16_t port) const;
    uint32_t rss_hash(const Conn& c) const;
    bool http() const { return p_.legit.response_segments > 0; }
    // The client's timestamp clock (ms), as its TSval shows it.
    uint32_t tsval(uint32_t conn, uint64_t t_ns) const { return static_cast<uint32_t>(t_ns / 1000000) + conns_[conn].isn; }

    LegitSummary summary(uint64_t end_ns) const;
    // Segments a client discarded because their sequence numbers did not continue the server's.
    uint64_t bad_segments() const { return bad_segments_; }

private:
    enum class Ev : uint8_t { NewConn, SynRto, AckRto, Segment, Timeout };
    struct Timed {
        uint64_t t;
        uint64_t seq;
        Ev ev;
        uint32_t conn;
        uint32_t arg;
        bool operator>(const Timed& o) const { return t != o.t ? t > o.t : seq > o.seq; }
    };

    void run();
    // Event at t (ns) scheduled by a caller whose time is caller_ps.
    void at(uint64_t t, Ev ev, uint32_t conn, uint32_t arg = 0, uint64_t caller_ps = now_ps());
    void new_conn(uint64_t now);
    // Time from this connection attempt to the next, by legit.arrivals.
    uint64_t next_conn_gap_ns();
    void ended(uint64_t t_ns);
    void send(uint32_t id, LegitSeg seg, uint64_t now);
    void on_segment(uint32_t id, const WireSeg& s, uint64_t now);
    void send_request(uint32_t id, uint64_t now);

    const SimParams& p_;
    Nic& nic_;
    const Rss& rss_;
    Rng rng_;
    Rng gap_rng_;            // the arrival process's own draws: changing it keeps the same clients
    uint64_t conns_started_ = 0;
    std::vector<Conn> conns_;
    FlatIndex by_addr_; // (ip << 16 | port) -> connection
    std::vector<WireSeg> inbox_; // segments in flight to clients (Ev::Segment's arg indexes it)
    uint64_t bad_segments_ = 0;
    std::priority_queue<Timed, std::vector<Timed>, std::greater<>> heap_;
    uint64_t seq_ = 0;
    sc_core::sc_event wake_;
};

} // namespace offsched::sim
