// Legitimate ssh-like clients: connection attempts at a rate, SYN retransmits (1 s, 2 s, 4 s...),
// the handshake ACK riding on the client's first data segment (retransmitted from TCP_RTO_MIN),
// and a connect timeout after which the attempt counts as failed. Few individual records: one
// per connection, driven by one timed event heap.
#pragma once

#include <cstdint>
#include <map>
#include <queue>
#include <utility>
#include <vector>

#include <systemc>

#include "backends/sim/nic.h"
#include "backends/sim/params.h"
#include "backends/sim/rng.h"
#include "backends/sim/rss.h"

namespace offsched::sim {

struct Conn {
    enum class State : uint8_t { SynSent, AckSent, Established, Failed };
    uint32_t ip = 0;
    uint16_t port = 0;
    uint16_t queue = 0;
    uint64_t t_start = 0;
    uint64_t t_done = 0;
    uint32_t isn = 0;
    uint32_t server_isn = 0;
    State state = State::SynSent;
    uint32_t syns_sent = 0;
    uint64_t syn_rto = 0;
    uint64_t ack_rto = 0;
};

struct LegitSummary {
    uint64_t attempts = 0, established = 0, success_ppm = 0;
    uint64_t p50_ns = 0, p99_ns = 0, max_ns = 0;
};

class Clients : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(Clients);
    Clients(sc_core::sc_module_name name, const SimParams& p, Nic& nic, const Rss& rss, uint64_t seed);

    // The server sent a SYN-ACK at t_ns (it reaches the client one_way_ns later). sender_ps: the
    // sender's exact time, which may be ahead of SystemC time (an offload core's batched step).
    void synack_sent(uint32_t conn, uint32_t server_isn, uint64_t t_ns, uint64_t sender_ps = now_ps());
    // sshd's accept() returned this connection at t_ns.
    void accepted(uint32_t conn, uint64_t t_ns);

    // Connection id by client address and port, or -1.
    int64_t find(uint32_t ip, uint16_t port) const;
    const Conn& conn(uint32_t id) const { return conns_[id]; }
    uint32_t conn_count() const { return static_cast<uint32_t>(conns_.size()); }
    bool is_client_ip(uint32_t ip) const;

    LegitSummary summary(uint64_t end_ns) const;

private:
    enum class Ev : uint8_t { NewConn, SynRto, AckRto, SynAck, Timeout };
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
    void send(uint32_t id, LegitSeg seg, uint64_t now);

    const SimParams& p_;
    Nic& nic_;
    const Rss& rss_;
    Rng rng_;
    std::vector<Conn> conns_;
    std::map<std::pair<uint32_t, uint16_t>, uint32_t> by_addr_;
    std::priority_queue<Timed, std::vector<Timed>, std::greater<>> heap_;
    uint64_t seq_ = 0;
    sc_core::sc_event wake_;
};

} // namespace offsched::sim
