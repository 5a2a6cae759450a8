// Every parameter of the machine, OS and traffic model, declared once (params.cc holds the
// schema: type, range, unit, help, and where each default comes from). The scenario loader,
// `--set`, JSON output and docs/MODEL.md are all driven by those tables.
// Plain integers: times in ns, costs in cycles, rates in packets or connections per second.
#pragma once

#include <cstdint>

#include "model/schema.h"

namespace offsched::sim {

struct RunParams {
    uint64_t duration_ns = 0;   // simulated time per design
    uint64_t warmup_ns = 0;     // excluded from latency/success statistics
};

struct MachineParams {
    uint32_t cores = 0;
    uint32_t freq_mhz = 0;      // core clock, also the TSC rate
    uint32_t tick_hz = 0;       // periodic scheduler tick (CONFIG_HZ)
};

struct NicParams {
    uint32_t queues = 0;        // RX/TX queue pairs, RSS spreads flows over them
    uint32_t ring_size = 0;     // RX descriptors per queue
    uint64_t irq_coalesce_ns = 0; // per-queue interrupt moderation (min gap between IRQs)
    uint32_t line_rate_mbps = 0;
};

// The OS receive path and scheduler costs, in cycles.
struct OsParams {
    uint32_t hardirq_cycles = 0;      // IRQ entry + driver handler + exit
    uint32_t napi_budget = 0;         // packets per NAPI poll (netdev_budget weight)
    uint32_t softirq_max_restart = 0; // MAX_SOFTIRQ_RESTART
    uint64_t softirq_max_ns = 0;      // MAX_SOFTIRQ_TIME
    uint32_t rx_packet_cycles = 0;    // driver RX + skb alloc + GRO/IP per packet
    uint32_t netfilter_cycles = 0;    // per-packet netfilter hook traversal
    uint32_t syn_cycles = 0;          // TCP SYN handling, request sock, SYN-ACK tx
    uint32_t syn_cookie_cycles = 0;   // SYN handling when the backlog is full (cookie path)
    uint32_t ack_cycles = 0;          // handshake-completing ACK, child socket creation
    uint32_t syn_backlog = 0;         // tcp_max_syn_backlog
    uint32_t accept_backlog = 0;      // listen() backlog / somaxconn
    uint32_t syncookies = 0;          // net.ipv4.tcp_syncookies (0/1)
    uint32_t context_switch_cycles = 0;
    uint64_t sched_slice_ns = 0;      // CFS slice an sshd task gets when it competes
    uint32_t accept_cycles = 0;       // sshd user work to accept + answer one connection
    uint32_t passed_packet_cycles = 0; // OS cost of a frame handed over by an offload core
};

struct FloodParams {
    uint64_t rate_pps = 0;
    uint64_t start_ns = 0;
    uint64_t stop_ns = 0;       // 0: until the end
    uint32_t sources = 0;       // distinct spoofed source addresses
    uint32_t source_dist = 0;   // 0 uniform, 1 zipf-like (few heavy hitters)
    uint32_t frame_bytes = 0;
};

struct LegitParams {
    uint32_t clients = 0;       // distinct client addresses
    uint64_t connect_rate = 0;  // new connections per second (all clients)
    uint64_t syn_rto_ns = 0;    // initial SYN retransmit timeout (TCP_TIMEOUT_INIT)
    uint32_t syn_retries = 0;   // tcp_syn_retries before the client gives up
    uint32_t payload_bytes = 0; // bytes exchanged per connection once accepted (goodput)
};

struct BackgroundParams {
    uint64_t rate_pps = 0;      // established-flow traffic, not SYNs
    uint32_t flows = 0;
    uint32_t frame_bytes = 0;
};

struct SimParams {
    RunParams run;
    MachineParams machine;
    NicParams nic;
    OsParams os;
    FloodParams flood;
    LegitParams legit;
    BackgroundParams background;
};

// One YAML section ("machine:", "nic:", ...) of SimParams and the schema of its fields.
struct ParamSection {
    const char* name;
    const char* help;
    offsched::Schema schema;
    uint32_t offset; // offsetof(SimParams, section)
};

// All sections in documentation order.
const ParamSection* param_sections(uint32_t* count);
// The documented defaults (each from the `source` column of its field).
SimParams default_params();

} // namespace offsched::sim
