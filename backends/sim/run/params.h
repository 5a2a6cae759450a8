// Every parameter of the machine, OS and traffic model, declared once (params.cc holds the
// schema: type, range, unit, help, and where each default comes from). The scenario loader,
// `--set`, JSON output and docs/MODEL.md are all driven by those tables.
// Plain integers: times in ns, costs in cycles, rates in packets or connections per second.
#pragma once

#include <cstdint>

#include "model/schema.h"
#include "services/rt/rt_config.h"

namespace offsched::sim {

struct RunParams {
    uint64_t duration_ns = 0;   // simulated time per design
    uint64_t warmup_ns = 0;     // excluded from latency/success statistics
    uint32_t step_batching = 0; // 1: offload cores run ahead of SystemC time while nothing else can act
};

struct MachineParams {
    uint32_t cores = 0;
    uint32_t freq_mhz = 0;      // core clock, also the TSC rate
    uint32_t tick_hz = 0;       // periodic scheduler tick (CONFIG_HZ)
    uint32_t server_ip = 0;     // host order: the attacked host's address
    uint32_t ssh_port = 0;      // the listening service every SYN aims at
};

struct NicParams {
    uint32_t queues = 0;        // RX/TX queue pairs, RSS spreads flows over them
    uint32_t ring_size = 0;     // RX descriptors per queue
    uint64_t irq_coalesce_ns = 0; // per-queue interrupt moderation (min gap between IRQs)
    uint32_t line_rate_mbps = 0;
    uint32_t rss_indirection = 0; // RSS indirection table entries (hash & (n-1) -> queue)
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
    uint32_t established_cycles = 0;  // TCP receive of an established-flow segment
    uint32_t tick_cycles = 0;         // timer interrupt: tick handler + scheduler_tick
    uint32_t ipi_cycles = 0;          // IPI (doorbell) hardirq on the receiving core
    uint32_t netdev_budget = 0;       // packets per net_rx_action round (net.core.netdev_budget)
    uint64_t netdev_budget_ns = 0;    // time per net_rx_action round (netdev_budget_usecs)
    uint32_t synack_retries = 0;      // tcp_synack_retries: how long a request sock lives
    uint64_t sched_latency_ns = 0;    // CFS sched_latency (period shared by runnable tasks)
    uint64_t sched_wakeup_gran_ns = 0; // CFS wakeup preemption granularity
    uint32_t sshd_cores = 0;          // OS cores running an sshd worker (0: every OS core)
    uint32_t rx_mode = 0;             // RxMode (rx_mode.h): where the receive protocol work runs
    uint32_t irq_rx_limit = 0;        // irq_per_packet, lrp: frames one interrupt takes before re-arming
    uint32_t lrp_demux_cycles = 0;    // lrp: the interrupt's demux per frame
    uint32_t app_packet_cycles = 0;   // user task's work per background datagram (0: not consumed)
    uint32_t app_queue = 0;           // socket receive queue in front of that task (datagrams)
    uint32_t xdp_drop = 0;            // 1: an XDP program in the driver drops the attack (flood)
    uint32_t xdp_drop_cycles = 0;     // driver RX + XDP program + drop, per packet
    uint32_t gro_segments = 0;        // GRO: consecutive segments of a flow merged into one skb at most
    uint32_t passed_segment_cycles = 0; // copy of each further segment of a merged frame passed up
    uint32_t synproxy = 0;            // 1: netfilter SYNPROXY in front of the listener (iptables -j SYNPROXY)
    uint32_t synproxy_syn_cycles = 0; // SYNPROXY target: cookie + SYN-ACK built and sent
    uint32_t synproxy_ack_cycles = 0; // SYNPROXY: cookie check, SYN to the listener, its SYN-ACK absorbed, two ACKs
    uint32_t conntrack_cycles = 0;    // conntrack lookup + seqadj of a tracked (proxied) segment, each way
};

// The cores taken out of the OS (Offsched design): what one service step costs and how frames
// reach the OS.
struct OffloadParams {
    uint32_t burst = 0;               // step(budget): frames per service step (rx_burst size)
    uint32_t step_cycles = 0;         // fixed cost of one non-idle step (loop, queue polls)
    uint32_t packet_cycles = 0;       // per frame the step reports (rx, parse, verdict)
    uint32_t work_unit_cycles = 0;    // per service-defined work unit
    uint64_t relax_ns = 0;            // one idle poll (step found nothing, Core::relax())
    uint32_t host_ring_size = 0;      // HostPath ring per OS cpu (frames)
    uint32_t doorbell_cycles = 0;     // sender cost of one doorbell (IPI write to the APIC)
    uint64_t ipi_latency_ns = 0;      // doorbell to hardirq on the OS core
    uint32_t idle_skip = 0;           // 1: an idle service sleeps (in whole relax_ns polls) until
                                      // a frame arrives instead of simulating each empty poll
    uint32_t owns_nic = 0;            // 1: the service owns (polls) every NIC queue; 0: the NIC
                                      // stays with the OS cores (services that use none: timer, rt)
};

struct FloodParams {
    uint64_t rate_pps = 0;
    uint64_t start_ns = 0;
    uint64_t stop_ns = 0;       // 0: until the end
    uint32_t sources = 0;       // distinct spoofed source addresses
    uint32_t source_dist = 0;   // 0 uniform, 1 zipf-like (few heavy hitters)
    uint32_t frame_bytes = 0;
    offsched::Ipv4Cidr src_net{}; // spoofed sources are drawn from this network
    uint32_t ipv6_percent = 0;  // share of flood packets that are IPv6
    offsched::IpPrefix src_net6{}; // IPv6 sources are drawn from this network
    uint32_t arrivals = 0;      // Arrivals: constant, poisson, on_off
    uint32_t burst_packets = 0; // on_off: packets per burst on the wire
};

struct LegitParams {
    uint32_t clients = 0;       // distinct client addresses
    uint64_t connect_rate = 0;  // new connections per second (all clients)
    uint64_t syn_rto_ns = 0;    // initial SYN retransmit timeout (TCP_TIMEOUT_INIT)
    uint32_t syn_retries = 0;   // tcp_syn_retries before the client gives up
    uint32_t payload_bytes = 0; // bytes exchanged per connection once accepted (goodput)
    uint64_t connect_timeout_ns = 0; // client gives up (ssh ConnectTimeout); attempt failed
    uint64_t rto_min_ns = 0;    // data retransmit timeout once the RTT is known (TCP_RTO_MIN)
    uint64_t one_way_ns = 0;    // client <-> host network latency, each way
    uint32_t response_segments = 0; // 0: ssh-like (done at accept); n: an HTTP-like request, n data segments back
    offsched::Ipv4Cidr client_net{}; // client i has address client_net + 1 + i
    uint32_t ipv6_percent = 0;  // share of client addresses that connect over IPv6 instead
    offsched::IpPrefix client_net6{}; // an IPv6 client i has address client_net6 + 1 + i
    uint32_t arrivals = 0;      // Arrivals of new connections: constant, poisson, on_off
    uint32_t burst_connections = 0; // on_off: connections started together
    uint32_t users = 0;         // closed loop: users, each one connection at a time (0: open loop at connect_rate)
    uint64_t think_ns = 0;      // closed loop: a user's pause between one connection's end and the next
};

struct BackgroundParams {
    uint64_t rate_pps = 0;      // established-flow traffic, not SYNs
    uint32_t flows = 0;
    uint32_t frame_bytes = 0;
    uint32_t dst_port = 0;
    uint32_t arrivals = 0;      // Arrivals: constant, poisson, on_off
    uint32_t burst_packets = 0; // on_off: packets per burst on the wire
};

// SCHED_FIFO tasks woken by hrtimers on one OS core: the stock path the timer and rt services
// are compared with (os_rt_tasks.h).
struct OsRtParams {
    uint32_t core = 0;                // OS core the RT tasks (and a timer client) run on
    uint32_t hrtimer_irq_cycles = 0;  // local APIC timer hardirq running hrtimer_interrupt
    uint32_t wakeup_cycles = 0;       // hrtimer_wakeup -> try_to_wake_up of one RT task
};

// Periodic timers a cyclictest-like client arms (timer_jitter.yaml): on the OS as SCHED_FIFO
// tasks sleeping in clock_nanosleep, or through the timer service's request ring.
struct TimerLoadParams {
    uint32_t count = 0;               // 0: no timers
    uint64_t period_ns = 0;
    uint64_t offset_ns = 0;           // first expiry of timer 0; timer i is period/count later
    uint32_t task_cycles = 0;         // the OS task's loop body after each wakeup
};

// The OS statistics rtop reports (companions/rtop_companion): the publisher that writes them
// into the rtop service's seqlock from an OS core, or, without the service, a user-space agent
// that sends the same report over UDP from the OS.
struct OsStatsParams {
    uint64_t publish_ns = 0;          // publisher period (a delayed work re-armed after each run)
    uint32_t publish_cycles = 0;      // one publish, fixed part
    uint32_t publish_cpu_cycles = 0;  // one publish, per CPU
    uint32_t core = 0;                // OS core the publisher or the agent runs on
    uint64_t agent_ns = 0;            // user-space agent period (0: no agent)
    uint32_t agent_cycles = 0;        // one agent report
    uint64_t mem_total_kb = 0;        // memory figures the OS reports
    uint64_t mem_available_kb = 0;
};

struct SimParams {
    RunParams run;
    MachineParams machine;
    NicParams nic;
    OsParams os;
    OffloadParams offload;
    FloodParams flood;
    LegitParams legit;
    BackgroundParams background;
    OsRtParams os_rt;
    TimerLoadParams timers;
    // A periodic job set (rt_deadlines.yaml): SCHED_FIFO tasks on os_rt.core, or the rt service
    // when the design offloads it. Same layout and field names as the rt service's config, so a
    // scenario writes it once and aliases it into the service's `config:`. No jobs: none run.
    offsched::rt::Config rt_tasks{};
    OsStatsParams os_stats;
};

// One YAML section ("machine:", "nic:", ...) of SimParams and the schema of its fields.
struct ParamSection {
    const char* name;
    const char* help;
    offsched::Schema schema;
    uint32_t offset; // offsetof(SimParams, section)
    // Checks across fields after loading (nullptr: the schema's ranges say everything); the
    // loader reports a failure at the named field's line like a service config's validate().
    bool (*check)(const void* section, offsched::ConfigError* err) = nullptr;
};

// All sections in documentation order.
const ParamSection* param_sections(uint32_t* count);
// The documented defaults (each from the `source` column of its field).
SimParams default_params();

} // namespace offsched::sim
