// The parameter tables: every field of SimParams with its range, unit, one-line help, default
// and where that default comes from. Each section is one X-macro list, expanded twice (schema
// rows and default values), so a field cannot have a schema without a default or vice versa.
// Cycle costs without a kernel constant behind them are marked "estimate" and say what they are
// anchored on; docs/MODEL.md is generated from these strings (tests/sim/model_doc_test.cc).
#include "backends/sim/run/params.h"

#include <cstddef>

#include "backends/sim/traffic/arrival_stream.h"
#include "backends/sim/os/rx_mode.h"
#include "services/common/fields.h"

namespace offsched::sim {

namespace {

constexpr uint32_t ip(uint32_t a, uint32_t b, uint32_t c, uint32_t d) { return (a << 24) | (b << 16) | (c << 8) | d; }

constexpr uint64_t kMs = 1000000ull;
constexpr uint64_t kS = 1000000000ull;
constexpr uint64_t kU64Max = ~0ull;

const char* const kSourceDists[] = {"uniform", "zipf", nullptr};

// The names of an Enum field's values; nullptr for every other field.
template <auto Field> constexpr const char* const* enum_names_of() { return nullptr; }
template <> constexpr const char* const* enum_names_of<&FloodParams::source_dist>() { return kSourceDists; }
template <> constexpr const char* const* enum_names_of<&OsParams::rx_mode>() { return kRxModeNames; }
template <> constexpr const char* const* enum_names_of<&FloodParams::arrivals>() { return kArrivalNames; }
template <> constexpr const char* const* enum_names_of<&LegitParams::arrivals>() { return kArrivalNames; }
template <> constexpr const char* const* enum_names_of<&BackgroundParams::arrivals>() { return kArrivalNames; }

// Why every source defaults to poisson (docs/MODEL.md, "Arrival processes").
#define POISSON_SOURCE "many independent senders merge into a Poisson process (Palm-Khintchine); smooth arrivals " \
                       "made NAPI polls never fill their budget and left a cliff at saturation"

// X(struct, field, FieldType, min, max, default, unit, help, source)
#define RUN_FIELDS(X)                                                                                                \
    X(RunParams, duration_ns, U64, 1 * kMs, 3600 * kS, 4 * kS, "ns", "simulated time per design",                  \
      "scenario choice: warmup + connect_timeout + a window of attempts")                                            \
    X(RunParams, warmup_ns, U64, 0, 3600 * kS, 500 * kMs, "ns",                                                      \
      "connections started before this are not counted (the flood fills queues first)",                              \
      "scenario choice: SYN backlog and rings reach steady state within milliseconds")                               \
    X(RunParams, step_batching, U32, 0, 1, 1, "",                                                                    \
      "1: an offload core that owns the NIC runs its next step in the same SystemC activation when no other "       \
      "process can act before it starts, which makes the simulator faster (0: one activation per step)",             \
      "simulator speed only: tests compare both settings on the shipped scenarios")

#define MACHINE_FIELDS(X)                                                                                            \
    X(MachineParams, cores, U32, 1, 64, 4, "", "cores in the machine (online + offloaded)",                          \
      "the brief's reference host: 4 cores")                                                                         \
    X(MachineParams, freq_mhz, U32, 100, 10000, 3000, "MHz", "core clock and TSC rate",                              \
      "the brief's reference host: 3 GHz")                                                                           \
    X(MachineParams, tick_hz, U32, 100, 1000, 250, "Hz", "periodic scheduler tick on OS cores",                      \
      "CONFIG_HZ=250 (Debian/Ubuntu distribution kernels)")                                                          \
    X(MachineParams, server_ip, Ipv4, 0, 0, ip(10, 0, 0, 1), "", "the attacked host's address",                     \
      "scenario choice (RFC 1918)")                                                                                  \
    X(MachineParams, ssh_port, U32, 1, 65535, 22, "", "port sshd listens on; flood and clients aim at it",           \
      "IANA ssh port")

#define NIC_FIELDS(X)                                                                                                \
    X(NicParams, queues, U32, 1, 64, 4, "", "RX/TX queue pairs; RSS spreads flows over them",                        \
      "ixgbe/i40e default: one queue pair per online CPU (4)")                                                       \
    X(NicParams, ring_size, U32, 8, 8192, 512, "descriptors", "RX descriptors per queue; arrivals beyond are dropped", \
      "ixgbe IXGBE_DEFAULT_RXD = 512 (drivers/net/ethernet/intel/ixgbe/ixgbe.h)")                                    \
    X(NicParams, irq_coalesce_ns, U64, 0, 1 * kS, 50000, "ns", "per-queue interrupt moderation: minimum IRQ gap",     \
      "ixgbe initial ITR IXGBE_20K_ITR: 20k interrupts/s per vector = 50 us")                                       \
    X(NicParams, line_rate_mbps, U32, 10, 400000, 10000, "Mbit/s", "wire rate: the smallest gap between two arriving frames (caps nothing)",             \
      "10GbE")                                                                                                       \
    X(NicParams, rss_indirection, U32, 1, 512, 128, "entries",                                                       \
      "RSS indirection table size; entry i points at queue i % queues",                                              \
      "82599 RETA has 128 entries; ethtool_rxfh_indir_default(i, n) = i % n (include/linux/ethtool.h)")

#define OS_FIELDS(X)                                                                                                 \
    X(OsParams, hardirq_cycles, U32, 0, 10000000, 2000, "cycles", "NIC IRQ: entry + driver handler (napi_schedule) + exit", \
      "estimate: ~0.7 us at 3 GHz for IDT entry, irq_enter/exit and a MSI-X handler that only schedules NAPI")      \
    X(OsParams, napi_budget, U32, 1, 4096, 64, "packets", "packets per NAPI poll (the driver's weight)",              \
      "NAPI_POLL_WEIGHT = 64 (include/linux/netdevice.h)")                                                           \
    X(OsParams, softirq_max_restart, U32, 1, 1000, 10, "", "__do_softirq restarts before deferring to ksoftirqd",     \
      "MAX_SOFTIRQ_RESTART = 10 (kernel/softirq.c)")                                                                 \
    X(OsParams, softirq_max_ns, U64, 1000, 1 * kS, 2 * kMs, "ns", "__do_softirq time limit before deferring to ksoftirqd", \
      "MAX_SOFTIRQ_TIME = msecs_to_jiffies(2) (kernel/softirq.c)")                                                   \
    X(OsParams, rx_packet_cycles, U32, 0, 10000000, 600, "cycles", "driver RX + skb alloc + GRO/IP per packet",      \
      "estimate anchored on the XDP paper (Hoiland-Jorgensen et al., CoNEXT 2018, fig. 3): the stack drops ~5 Mpps/core in the iptables raw table on a 3.6 GHz Xeon, ~750 cycles split 600 RX + 150 hook") \
    X(OsParams, netfilter_cycles, U32, 0, 10000000, 150, "cycles", "per-packet netfilter hook traversal",            \
      "estimate, same anchor as rx_packet_cycles")                                                                   \
    X(OsParams, syn_cycles, U32, 0, 10000000, 3000, "cycles",                                                        \
      "SYN to a listener: lookup, request sock, SYN-ACK built and sent",                                             \
      "estimate: about one RX (rx_packet_cycles) plus one TX skb path plus reqsk allocation and hashing")            \
    X(OsParams, syn_cookie_cycles, U32, 0, 10000000, 2200, "cycles",                                                  \
      "SYN when the request queue is full: cookie (SipHash) + SYN-ACK, no request sock",                             \
      "estimate: syn_cycles minus reqsk allocation/hashing (tcp_conn_request want_cookie path)")                      \
    X(OsParams, ack_cycles, U32, 0, 10000000, 4000, "cycles",                                                        \
      "handshake-completing ACK: reqsk or cookie check, child socket, accept queue",                                 \
      "estimate: tcp_check_req/cookie_v4_check + tcp_v4_syn_recv_sock (child sock allocation and hashing)")          \
    X(OsParams, syn_backlog, U32, 1, 1000000, 128, "request socks",                                                  \
      "request-queue limit; beyond it SYNs get cookies (or are dropped without syncookies)",                         \
      "inet_csk_reqsk_queue_is_full() compares with sk_max_ack_backlog = sshd's listen() backlog (SSH_LISTEN_BACKLOG 128 in OpenSSH)") \
    X(OsParams, accept_backlog, U32, 1, 1000000, 128, "sockets", "accept queue limit (listen backlog)",               \
      "OpenSSH SSH_LISTEN_BACKLOG 128, below net.core.somaxconn = 4096 (since 5.4)")                                 \
    X(OsParams, syncookies, U32, 0, 2, 1, "", "net.ipv4.tcp_syncookies: 0 off, 1 on overflow, 2 always",              \
      "tcp_syncookies default 1 (Documentation/networking/ip-sysctl.rst)")                                           \
    X(OsParams, context_switch_cycles, U32, 0, 10000000, 4500, "cycles", "switching between two tasks on a core",     \
      "estimate: ~1.5 us direct + cache cost, the order lmbench lat_ctx reports for small working sets")             \
    X(OsParams, sched_slice_ns, U64, 1000, 1 * kS, 2250000, "ns",                                                     \
      "minimum CFS slice before the tick may preempt a task that competes",                                         \
      "sysctl_sched_min_granularity 0.75 ms x (1 + ilog2(4 cpus)) (kernel/sched/fair.c, SCHED_TUNABLESCALING_LOG)")  \
    X(OsParams, accept_cycles, U32, 0, 100000000, 150000, "cycles",                                                   \
      "sshd user work per connection: accept(), fork of the per-connection child, banner",                            \
      "estimate: ~50 us; fork of a small process costs tens of microseconds")                                        \
    X(OsParams, passed_packet_cycles, U32, 0, 10000000, 700, "cycles",                                                \
      "OS cost of a frame an offload core passed (virtual netdev NAPI poll, skb from the ring copy)",               \
      "estimate: like rx_packet_cycles plus one copy; netfilter and TCP costs come on top")                          \
    X(OsParams, established_cycles, U32, 0, 10000000, 1500, "cycles", "TCP receive of an established-flow segment",  \
      "estimate: tcp_v4_rcv established fast path + socket queueing + wakeup")                                       \
    X(OsParams, tick_cycles, U32, 0, 10000000, 3000, "cycles", "timer interrupt: tick_handle_periodic + scheduler_tick", \
      "estimate: ~1 us per tick")                                                                                    \
    X(OsParams, ipi_cycles, U32, 0, 10000000, 1500, "cycles", "doorbell IPI hardirq on an OS core (schedules its NAPI)", \
      "estimate: IRQ entry/exit without a device handler")                                                           \
    X(OsParams, netdev_budget, U32, 1, 100000, 300, "packets", "packets per net_rx_action round",                    \
      "net.core.netdev_budget = 300 (net/core/dev.c)")                                                               \
    X(OsParams, netdev_budget_ns, U64, 1000, 1 * kS, 8 * kMs, "ns", "time limit of one net_rx_action round",          \
      "netdev_budget_usecs = 2 * USEC_PER_SEC / HZ (net/core/dev.c) = 8 ms at HZ=250")                               \
    X(OsParams, synack_retries, U32, 0, 10, 5, "", "SYN-ACK retransmits before a request sock expires",               \
      "tcp_synack_retries default 5 (TCP_SYNACK_RETRIES, include/net/tcp.h): a reqsk lives 1+2+4+8+16+32 = 63 s")   \
    X(OsParams, sched_latency_ns, U64, 1000, 10 * kS, 18 * kMs, "ns", "CFS period; a waking task is placed half of it behind", \
      "sysctl_sched_latency 6 ms x (1 + ilog2(4 cpus)) (kernel/sched/fair.c)")                                      \
    X(OsParams, sched_wakeup_gran_ns, U64, 0, 10 * kS, 3 * kMs, "ns", "CFS wakeup preemption granularity",            \
      "sysctl_sched_wakeup_granularity 1 ms x (1 + ilog2(4 cpus)) (kernel/sched/fair.c)")                           \
    X(OsParams, sshd_cores, U32, 0, 64, 0, "", "OS cores with an sshd worker (the first n OS cores; 0 = all)",         \
      "scenario choice: one sshd worker per core")                                                                   \
    X(OsParams, rx_mode, Enum, 0, 4, 0, "",                                                                          \
      "where receive protocol work runs: napi (softirq, budget), irq_per_packet (all in hardirq, pre-NAPI), ksoftirqd (always deferred), busy_poll (the reading task polls the ring), lrp (the interrupt demultiplexes to the receiver's channel, the receiver does the protocol work)", \
      "napi is Linux since 2.6; irq_per_packet: BSD-derived kernels in Mogul & Ramakrishnan (TOCS 1997); busy_poll: Linux SO_BUSY_POLL; lrp: soft-demux LRP, Druschel & Banga (OSDI 1996)") \
    X(OsParams, irq_rx_limit, U32, 1, 100000, 128, "packets",                                                        \
      "rx_mode irq_per_packet and lrp: frames one interrupt takes off its ring before the vector is re-armed",       \
      "non-NAPI tulip_rx() takes every frame the host owns, up to RX_RING_SIZE = 128 (drivers/net/ethernet/dec/tulip)") \
    X(OsParams, lrp_demux_cycles, U32, 0, 10000000, 300, "cycles",                                                   \
      "rx_mode lrp: the interrupt's work per frame (descriptor, header parse, socket lookup, channel enqueue or discard)", \
      "estimate: ~0.1 us; the demux Druschel & Banga's soft-LRP runs in the interrupt (OSDI 1996)")                   \
    X(OsParams, app_packet_cycles, U32, 0, 100000000, 0, "cycles",                                                   \
      "user-task work per background datagram it reads (0: background traffic is not read by a task)",              \
      "scenario choice: the receive-livelock workloads (screend, a forwarding or RPC process) set it")               \
    X(OsParams, app_queue, U32, 1, 1000000, 256, "datagrams", "socket receive queue in front of the reading task",    \
      "net.core.rmem_default = 212992 bytes / ~832 bytes truesize of a small datagram's skb = 256")                 \
    X(OsParams, xdp_drop, U32, 0, 1, 0, "", "1: an XDP program in the driver recognises the attack (flood) and drops it in the NAPI poll", \
      "scenario choice: the XDP paper's DoS test (Hoiland-Jorgensen et al., CoNEXT 2018)")                           \
    X(OsParams, xdp_drop_cycles, U32, 0, 10000000, 150, "cycles", "per packet dropped by XDP: driver RX + program + recycle", \
      "estimate anchored on the XDP paper (fig. 3): XDP drops ~24 Mpps per core on a 3.6 GHz Xeon, ~150 cycles")    \
    X(OsParams, gro_segments, U32, 1, 64, 44, "segments",                                                            \
      "GRO: consecutive segments of one flow in a NAPI poll become one skb (netfilter and TCP run once per skb); 1 = off", \
      "a 64 KB GRO packet (GRO_LEGACY_MAX_SIZE) holds 44 segments of 1448 bytes")                                     \
    X(OsParams, passed_segment_cycles, U32, 0, 10000000, 200, "cycles",                                              \
      "OS cost of each further segment of a merged (GRO'd) frame an offload core passed: copying it out of the ring", \
      "estimate: 1448 bytes = 23 cache lines pulled from the service core's cache, ~8 cycles each, plus frag bookkeeping") \
    X(OsParams, synproxy, U32, 0, 1, 0, "",                                                                          \
      "1: netfilter SYNPROXY guards the listener (raw notrack for SYNs, -j SYNPROXY for untracked/invalid), run in softirq", \
      "scenario choice: the iptables-extensions man page's SYNPROXY set-up")                                        \
    X(OsParams, synproxy_syn_cycles, U32, 0, 10000000, 1900, "cycles",                                               \
      "SYNPROXY target on a SYN: cookie (two SipHash) + SYN-ACK skb built and sent through ip_local_out",            \
      "estimate: syn_cookie_cycles without the listener lookup and lock, with the target's own skb allocation")     \
    X(OsParams, synproxy_ack_cycles, U32, 0, 10000000, 3000, "cycles",                                               \
      "SYNPROXY on the client's ACK: cookie check, SYN to the local listener, its SYN-ACK absorbed, ACK to the server and window update to the client", \
      "estimate: three skbs built and sent (~3 x 700) plus the cookie check; the listener's own SYN/ACK costs come on top") \
    X(OsParams, conntrack_cycles, U32, 0, 10000000, 1250, "cycles",                                                  \
      "conntrack lookup + sequence adjustment of a segment of a proxied (tracked) connection",                      \
      "estimate anchored on the XDP paper (fig. 3): 4.8 Mpps/core raw vs 1.8 Mpps with conntrack at 3.6 GHz = ~1250 cycles")

#define OFFLOAD_FIELDS(X)                                                                                            \
    X(OffloadParams, burst, U32, 1, 1024, 32, "frames", "budget passed to Service::step (rx_burst size)",             \
      "DPDK examples' MAX_PKT_BURST = 32")                                                                           \
    X(OffloadParams, step_cycles, U32, 0, 10000000, 100, "cycles", "fixed cost of one non-idle service step",         \
      "estimate: loop overhead and descriptor-ring checks of every owned queue")                                      \
    X(OffloadParams, packet_cycles, U32, 0, 10000000, 150, "cycles", "per frame a step reports (rx, parse, verdict)", \
      "estimate anchored on the XDP paper: XDP drops ~24 Mpps/core on 3.6 GHz, ~150 cycles including driver RX")    \
    X(OffloadParams, work_unit_cycles, U32, 0, 10000000, 100, "cycles", "per service-defined work unit",              \
      "estimate")                                                                                                    \
    X(OffloadParams, relax_ns, U64, 1, 1 * kS, 1000, "ns", "simulated length of one idle poll (Core::relax())",      \
      "model resolution: bounds how late a polled core notices a new frame")                                         \
    X(OffloadParams, host_ring_size, U32, 1, 65536, 1024, "frames", "HostPath ring per OS cpu",                        \
      "as a veth/NAPI backlog (netdev_max_backlog = 1000 rounded to a power of two)")                                \
    X(OffloadParams, doorbell_cycles, U32, 0, 10000000, 300, "cycles", "sender cost of one doorbell IPI",             \
      "estimate: one x2APIC ICR write")                                                                              \
    X(OffloadParams, ipi_latency_ns, U64, 0, 1 * kS, 1000, "ns", "doorbell to hardirq on the OS core",                \
      "estimate: ~1 us cross-core IPI delivery")                                                                     \
    X(OffloadParams, idle_skip, U32, 0, 1, 1, "",                                                                    \
      "1: after an idle step, jump to the first poll that finds a frame (same result for frame-driven services; 0 for services with timers)", \
      "model speed: empty polls of a frame-driven service change nothing but time")                                 \
    X(OffloadParams, owns_nic, U32, 0, 1, 1, "",                                                                     \
      "1: the service owns and polls every NIC queue; 0: the NIC stays with the OS cores, IRQs spread over them (timer, rt)", \
      "the packet services (firewall, napi) own the NIC; services without frames leave it to Linux")

#define FLOOD_FIELDS(X)                                                                                              \
    X(FloodParams, rate_pps, U64, 0, 1000000000, 14880000, "pps", "spoofed SYNs per second at the NIC",               \
      "10GbE line rate with 64-byte frames: 10^10 / (84 * 8) = 14.88 Mpps")                                          \
    X(FloodParams, start_ns, U64, 0, kU64Max, 0, "ns", "flood start", "scenario choice")                             \
    X(FloodParams, stop_ns, U64, 0, kU64Max, 0, "ns", "flood stop (0: until the end)", "scenario choice")            \
    X(FloodParams, sources, U32, 1, 16777216, 65536, "addresses", "distinct spoofed source addresses (within src_net)", \
      "scenario choice")                                                                                              \
    X(FloodParams, source_dist, Enum, 0, 1, 0, "", "how sources are drawn: uniform or zipf (a few heavy hitters)",   \
      "scenario choice")                                                                                              \
    X(FloodParams, frame_bytes, U32, 60, 1518, 64, "bytes", "flood frame size on the wire (incl. FCS)",              \
      "minimum Ethernet frame")                                                                                       \
    X(FloodParams, src_net, Cidr, 0, 0, (Ipv4Cidr{ip(198, 18, 0, 0), 15}), "", "network spoofed sources come from",  \
      "RFC 2544 benchmarking range")                                                                                  \
    X(FloodParams, ipv6_percent, U32, 0, 100, 0, "%",                                                                \
      "share of the flood that is IPv6 (SYNs from src_net6 to the host's 2001:db8::1)", "scenario choice: IPv4 only") \
    X(FloodParams, src_net6, Prefix, 0, 0, (ipv6_prefix(0x2001000200000000ull, 0, 48)), "",                          \
      "IPv6 network spoofed sources come from (/64 or shorter; each source a random address in it)",                 \
      "RFC 5180 IPv6 benchmarking range 2001:2::/48")                                                                \
    X(FloodParams, arrivals, Enum, 0, 2, 1, "",                                                                      \
      "arrival process: constant (evenly spaced), poisson (random, at least a frame's wire time apart: a line-rate flood is constant), on_off (bursts)", \
      POISSON_SOURCE)                                                                                                 \
    X(FloodParams, burst_packets, U32, 1, 65536, 64, "packets", "on_off: packets per burst, back to back on the wire", \
      "scenario choice: one NAPI budget")

#define LEGIT_FIELDS(X)                                                                                              \
    X(LegitParams, clients, U32, 1, 1000000, 256, "addresses", "distinct client addresses", "scenario choice")       \
    X(LegitParams, connect_rate, U64, 0, 100000000, 1000, "conn/s", "new ssh connections per second (all clients)",  \
      "scenario choice")                                                                                              \
    X(LegitParams, syn_rto_ns, U64, 1000, 100 * kS, 1 * kS, "ns", "initial SYN retransmit timeout, doubled per retry", \
      "TCP_TIMEOUT_INIT = 1 s (include/net/tcp.h, RFC 6298)")                                                        \
    X(LegitParams, syn_retries, U32, 0, 255, 6, "", "SYN retransmits before the client gives up",                    \
      "net.ipv4.tcp_syn_retries default 6 (TCP_SYN_RETRIES)")                                                        \
    X(LegitParams, payload_bytes, U32, 0, 1000000000, 4096, "bytes", "payload per accepted connection (goodput)",    \
      "scenario choice: an ssh key exchange is a few KB")                                                             \
    X(LegitParams, connect_timeout_ns, U64, 1000, 3600 * kS, 3 * kS, "ns",                                            \
      "client gives up after this (ssh -o ConnectTimeout); later success counts as failure",                          \
      "scenario choice: an interactive user's patience")                                                              \
    X(LegitParams, rto_min_ns, U64, 1000, 100 * kS, 200 * kMs, "ns",                                                  \
      "retransmit timeout of the client's first data segment (which carries the handshake ACK)",                     \
      "TCP_RTO_MIN = HZ/5 = 200 ms (include/net/tcp.h)")                                                             \
    X(LegitParams, one_way_ns, U64, 0, 10 * kS, 50000, "ns", "client <-> host latency each way", "LAN: 50 us")       \
    X(LegitParams, response_segments, U32, 0, 64, 0, "segments",                                                     \
      "0: ssh-like, a connection succeeds at accept(); n: HTTP-like, the client sends a request and succeeds when the n-segment response (FIN on the last) is in", \
      "scenario choice: a small web object is a few segments (within Linux's initial cwnd of 10)")                  \
    X(LegitParams, client_net, Cidr, 0, 0, (Ipv4Cidr{ip(10, 1, 0, 0), 16}), "", "client i has address client_net + 1 + i", \
      "scenario choice (RFC 1918)")                                                                                   \
    X(LegitParams, ipv6_percent, U32, 0, 100, 0, "%",                                                                \
      "share of the clients that connect over IPv6 (from client_net6 to the host's 2001:db8::1), drawn per client",   \
      "scenario choice: IPv4 only")                                                                                   \
    X(LegitParams, client_net6, Prefix, 0, 0, (ipv6_prefix(0x20010db8000c0000ull, 0, 64)), "",                       \
      "an IPv6 client i has address client_net6 + 1 + i (/64 or shorter)", "scenario choice (documentation range)") \
    X(LegitParams, arrivals, Enum, 0, 2, 1, "",                                                                      \
      "how new connections start: constant (evenly spaced), poisson (exponential gaps), on_off (burst_connections at once)", \
      POISSON_SOURCE)                                                                                                 \
    X(LegitParams, burst_connections, U32, 1, 65536, 8, "connections", "on_off: connections started together",       \
      "scenario choice: a deployment script's parallel ssh")                                                          \
    X(LegitParams, users, U32, 0, 1000000, 0, "users",                                                               \
      "closed loop: n users, each starting a connection, waiting until it succeeds or times out, thinking think_ns, and starting the next (replaces connect_rate); 0: open loop", \
      "scenario choice: netperf TCP_RR, wrk -c N and ab -c N are closed loops")                                      \
    X(LegitParams, think_ns, U64, 0, 3600 * kS, 0, "ns",                                                             \
      "closed loop: pause between a connection's end and the user's next (exponential with arrivals: poisson, else fixed)", \
      "netperf TCP_RR: no think time")

#define BACKGROUND_FIELDS(X)                                                                                         \
    X(BackgroundParams, rate_pps, U64, 0, 1000000000, 20000, "pps", "established-flow segments per second",          \
      "scenario choice: light production traffic")                                                                    \
    X(BackgroundParams, flows, U32, 1, 1000000, 64, "flows", "distinct established flows", "scenario choice")        \
    X(BackgroundParams, frame_bytes, U32, 60, 1518, 1518, "bytes", "frame size", "full-size data segments")          \
    X(BackgroundParams, dst_port, U32, 1, 65535, 443, "", "server port of the flows", "scenario choice: https")     \
    X(BackgroundParams, arrivals, Enum, 0, 2, 1, "",                                                                 \
      "arrival process: constant, poisson (at least a frame's wire time apart) or on_off (bursts)", POISSON_SOURCE)   \
    X(BackgroundParams, burst_packets, U32, 1, 65536, 64, "packets", "on_off: packets per burst, back to back on the wire", \
      "scenario choice: a TSO/GRO train of 64 segments")

#define OS_RT_FIELDS(X)                                                                                              \
    X(OsRtParams, core, U32, 0, 63, 1, "", "OS core the SCHED_FIFO tasks (cyclictest-like timer task, rt_tasks jobs) run on", \
      "scenario choice: an OS core that also takes NIC interrupts (the baseline spreads queue q to core q)")         \
    X(OsRtParams, hrtimer_irq_cycles, U32, 0, 10000000, 2500, "cycles",                                              \
      "local APIC timer hardirq: entry, hrtimer_interrupt (__hrtimer_run_queues, clockevent reprogram), exit",       \
      "estimate: ~0.8 us at 3 GHz; hardirq_cycles plus one TSC-deadline MSR write (kernel/time/hrtimer.c, arch/x86/kernel/apic/apic.c)") \
    X(OsRtParams, wakeup_cycles, U32, 0, 10000000, 1500, "cycles",                                                   \
      "per task an expiry wakes: hrtimer_wakeup -> try_to_wake_up, enqueue_task_rt, check_preempt_curr_rt -> resched_curr", \
      "estimate: ~0.5 us; rq lock + RT enqueue + resched of the local CPU (kernel/sched/core.c, rt.c)")

#define TIMER_LOAD_FIELDS(X)                                                                                         \
    X(TimerLoadParams, count, U32, 0, 256, 0, "timers", "periodic timers the client arms (0: none)",                 \
      "scenario choice (cyclictest -t N: one thread per timer)")                                                     \
    X(TimerLoadParams, period_ns, U64, 1000, 10 * kS, 1 * kMs, "ns", "period of every timer",                        \
      "cyclictest's default interval -i 1000 us")                                                                    \
    X(TimerLoadParams, offset_ns, U64, 0, 10 * kS, 100000, "ns", "first expiry of timer 0; timer i follows i * period / count later", \
      "scenario choice: away from the tick's phase, as an application's timers are")                                \
    X(TimerLoadParams, task_cycles, U32, 0, 10000000, 600, "cycles",                                                 \
      "the OS timer task's loop after a wakeup: read the clock, record, next clock_nanosleep",                       \
      "estimate: ~0.2 us; a vDSO clock_gettime plus one syscall entry")

#define OS_STATS_FIELDS(X)                                                                                           \
    X(OsStatsParams, publish_ns, U64, 1 * kMs, 60 * kS, 20 * kMs, "ns",                                              \
      "period of the OS-side publisher of rtop's statistics (a delayed work on os_stats.core, re-armed after it ran)", \
      "offsched.ko companion_ms = 20 (backends/kernel/service_companion.c)")                                         \
    X(OsStatsParams, publish_cycles, U32, 0, 100000000, 4000, "cycles",                                              \
      "one publish, fixed part: kworker switch, si_meminfo + si_mem_available, the seqlock write",                   \
      "estimate: ~1.3 us at 3 GHz; si_mem_available sums per-node counters (mm/page_alloc.c)")                       \
    X(OsStatsParams, publish_cpu_cycles, U32, 0, 10000000, 300, "cycles",                                            \
      "one publish, per CPU: kcpustat_cpu_fetch + get_cpu_idle_time_us + one record",                                \
      "estimate: ~100 ns; two cache lines owned by another CPU (kernel/sched/cputime.c, kernel/time/tick-sched.c)")   \
    X(OsStatsParams, core, U32, 0, 63, 0, "", "OS core the publisher (or the agent) runs on",                        \
      "scenario choice: a delayed work runs on the CPU that queued it; the module loads on CPU 0")                   \
    X(OsStatsParams, agent_ns, U64, 0, 60 * kS, 0, "ns",                                                             \
      "period of a user-space stats agent sending the same report over UDP from the OS (0: none)",                   \
      "scenario choice: collectd's default Interval is 10 s; rtop_flood.yaml uses rtop's 100 ms")                    \
    X(OsStatsParams, agent_cycles, U32, 0, 100000000, 60000, "cycles",                                               \
      "one agent report: wake from clock_nanosleep, read /proc/stat and /proc/meminfo, format, sendto()",            \
      "estimate: ~20 us at 3 GHz; /proc/stat formats every CPU's counters, then one UDP sendmsg")                    \
    X(OsStatsParams, mem_total_kb, U64, 0, kU64Max, 16777216, "kB", "MemTotal the OS reports", "scenario choice: 16 GiB") \
    X(OsStatsParams, mem_available_kb, U64, 0, kU64Max, 12582912, "kB", "MemAvailable the OS reports",               \
      "scenario choice: 12 GiB")

#define SCHEMA_ROW(S, f, T, lo, hi, def, unit, help, src)                                                            \
    FieldDesc{#f, FieldType::T, static_cast<u32>(offsetof(S, f)), static_cast<u64>(lo), static_cast<u64>(hi), unit,  \
              help, src, FieldType::T == FieldType::Enum ? enum_names_of<&S::f>() : nullptr, nullptr, 0, 0, 0},
#define DEFAULT_ROW(S, f, T, lo, hi, def, unit, help, src) p.f = def;

const FieldDesc kRun[] = {RUN_FIELDS(SCHEMA_ROW)};
const FieldDesc kMachine[] = {MACHINE_FIELDS(SCHEMA_ROW)};
const FieldDesc kNic[] = {NIC_FIELDS(SCHEMA_ROW)};
const FieldDesc kOs[] = {OS_FIELDS(SCHEMA_ROW)};
const FieldDesc kOffload[] = {OFFLOAD_FIELDS(SCHEMA_ROW)};
const FieldDesc kFlood[] = {FLOOD_FIELDS(SCHEMA_ROW)};
const FieldDesc kLegit[] = {LEGIT_FIELDS(SCHEMA_ROW)};
const FieldDesc kBackground[] = {BACKGROUND_FIELDS(SCHEMA_ROW)};
const FieldDesc kOsRt[] = {OS_RT_FIELDS(SCHEMA_ROW)};
const FieldDesc kTimerLoad[] = {TIMER_LOAD_FIELDS(SCHEMA_ROW)};
const FieldDesc kOsStats[] = {OS_STATS_FIELDS(SCHEMA_ROW)};

// The rt service's own job fields and policy names; the list may be empty (no RT tasks).
const FieldDesc kRtTasks[] = {
    fields::array_("jobs", OFFSCHED_FIELD(rt::Config, jobs), OFFSCHED_FIELD(rt::Config, job_count), sizeof(rt::Job), 0,
                   rt::kMaxJobs, rt::kJobFields, "periodic jobs, each a SCHED_FIFO task on os_rt.core or a job of the rt service",
                   "none: scenario choice (rt_deadlines.yaml)"),
    fields::enum_("policy", OFFSCHED_FIELD(rt::Config, policy), rt::kPolicyNames,
                  "rm: priority by period (SCHED_FIFO priorities as rate-monotonic assigns them); edf: by absolute deadline (as SCHED_DEADLINE)",
                  "edf, the rt service's default"),
};

// A non-empty job set must pass the rt service's own checks (deadlines, utilisation <= 100 %).
bool check_rt_tasks(const void* section, ConfigError* err)
{
    const auto& c = *static_cast<const rt::Config*>(section);
    *err = ConfigError{};
    return c.job_count == 0 || rt::check(c, *err);
}

template <size_t N> constexpr Schema schema_of(const FieldDesc (&f)[N]) { return Schema{f, static_cast<u32>(N)}; }

const ParamSection kSections[] = {
    {"run", "length of the run", schema_of(kRun), offsetof(SimParams, run)},
    {"machine", "the SMP host", schema_of(kMachine), offsetof(SimParams, machine)},
    {"nic", "multi-queue NIC with RSS and interrupt moderation", schema_of(kNic), offsetof(SimParams, nic)},
    {"os", "the OS receive path, TCP listener and scheduler", schema_of(kOs), offsetof(SimParams, os)},
    {"offload", "cores taken out of the OS to run a service (offsched design)", schema_of(kOffload),
     offsetof(SimParams, offload)},
    {"flood", "spoofed SYN flood", schema_of(kFlood), offsetof(SimParams, flood)},
    {"legit", "ssh-like clients", schema_of(kLegit), offsetof(SimParams, legit)},
    {"background", "established-flow traffic", schema_of(kBackground), offsetof(SimParams, background)},
    {"os_rt", "SCHED_FIFO tasks woken by hrtimers on an OS core (the stock path of the timer and rt services)",
     schema_of(kOsRt), offsetof(SimParams, os_rt)},
    {"timers", "periodic timers of a cyclictest-like client (OS hrtimers, or the timer service when offloaded)",
     schema_of(kTimerLoad), offsetof(SimParams, timers)},
    {"rt_tasks", "a periodic job set (OS SCHED_FIFO tasks, or the rt service when offloaded)", schema_of(kRtTasks),
     offsetof(SimParams, rt_tasks), check_rt_tasks},
    {"os_stats", "the OS statistics rtop reports: their publisher on an OS core, or a user-space agent without rtop",
     schema_of(kOsStats), offsetof(SimParams, os_stats)},
};

} // namespace

const ParamSection* param_sections(uint32_t* count)
{
    *count = static_cast<uint32_t>(sizeof kSections / sizeof kSections[0]);
    return kSections;
}

SimParams default_params()
{
    SimParams all;
    {
        RunParams& p = all.run;
        RUN_FIELDS(DEFAULT_ROW)
    }
    {
        MachineParams& p = all.machine;
        MACHINE_FIELDS(DEFAULT_ROW)
    }
    {
        NicParams& p = all.nic;
        NIC_FIELDS(DEFAULT_ROW)
    }
    {
        OsParams& p = all.os;
        OS_FIELDS(DEFAULT_ROW)
    }
    {
        OffloadParams& p = all.offload;
        OFFLOAD_FIELDS(DEFAULT_ROW)
    }
    {
        FloodParams& p = all.flood;
        FLOOD_FIELDS(DEFAULT_ROW)
    }
    {
        LegitParams& p = all.legit;
        LEGIT_FIELDS(DEFAULT_ROW)
    }
    {
        BackgroundParams& p = all.background;
        BACKGROUND_FIELDS(DEFAULT_ROW)
    }
    {
        OsRtParams& p = all.os_rt;
        OS_RT_FIELDS(DEFAULT_ROW)
    }
    {
        TimerLoadParams& p = all.timers;
        TIMER_LOAD_FIELDS(DEFAULT_ROW)
    }
    {
        OsStatsParams& p = all.os_stats;
        OS_STATS_FIELDS(DEFAULT_ROW)
    }
    all.rt_tasks = rt::Config{}; // no jobs; each list item gets its keys from the YAML
    all.rt_tasks.policy = rt::kEdf;
    return all;
}

} // namespace offsched::sim
