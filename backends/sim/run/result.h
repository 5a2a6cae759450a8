// What one design's run produced. Integers only (ns, counts, cycles, parts-per-million), so the
// JSON is byte-identical for the same scenario and seed on any build.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace offsched::sim {

// Where a core's cycles went. Order is the column order in tables and JSON.
enum class CpuMode : uint32_t { Hardirq, Softirq, Ksoftirqd, User, Idle, Service, Count };
const char* cpu_mode_name(CpuMode m);

struct CoreUsage {
    uint32_t core = 0;
    std::string role; // "os" or "service:<name>"
    uint64_t cycles[static_cast<uint32_t>(CpuMode::Count)] = {};
};

// Established-flow (background) receive: what reached the sockets and how fast.
struct RxResult {
    uint64_t delivered = 0;      // segments delivered to their socket, whole run
    uint64_t delivered_pps = 0;  // delivered after the warm-up, per second of the measured window
    uint64_t latency_p50_ns = 0; // NIC arrival -> delivered to the socket (after the warm-up)
    uint64_t latency_p99_ns = 0;
    uint64_t latency_max_ns = 0;
    uint64_t os_cycles = 0;      // hardirq + softirq + ksoftirqd cycles of the OS cores, whole run
    uint64_t os_cycles_per_packet = 0; // os_cycles / delivered (rounded)
    uint64_t nic_irqs = 0;       // NIC queue interrupts raised to OS cores, whole run
    uint64_t doorbells = 0;      // doorbell IPIs offload cores sent to OS cores, whole run
};

// Design::requests: what the service's request and completion rings carried (the module's
// sysfs cpuN/request and backend/completion_* report the same).
struct ChannelResult {
    uint64_t requests_posted = 0;
    uint64_t requests_refused = 0;  // the request ring was full
    uint64_t completions = 0;       // whole run
    uint64_t completions_lost = 0;  // gaps in their sequence numbers (a full completion ring)
    uint64_t err_p50_ns = 0;        // lateness (ChannelSpec::summarize) of those due after the warm-up
    uint64_t err_p99_ns = 0;
    uint64_t err_max_ns = 0;
};

struct DesignResult {
    std::string design;
    uint64_t sim_ns = 0;                 // simulated time covered
    // Legitimate (ssh-like) connections.
    uint64_t legit_attempts = 0;         // connections started by clients
    uint64_t legit_established = 0;      // completed the handshake and were accepted by sshd
    uint64_t legit_success_ppm = 0;      // established / attempts, parts per million
    uint64_t legit_per_s = 0;            // established per second (a closed loop's transaction rate)
    uint64_t connect_p50_ns = 0;         // first SYN sent -> accept() returned in sshd
    uint64_t connect_p99_ns = 0;
    uint64_t connect_max_ns = 0;
    uint64_t goodput_bps = 0;            // legitimate payload bits per simulated second
    uint64_t legit_bad_segments = 0;     // server segments a client discarded: not its connection's numbers
    // SYN-ACKs the host (or a service in its name) sent to spoofed flood sources: backscatter.
    uint64_t backscatter_synacks = 0;
    uint64_t backscatter_pps = 0;        // per simulated second
    // Flood accounting: every flood packet offered ends in exactly one bucket.
    uint64_t flood_offered = 0;
    std::vector<std::pair<std::string, uint64_t>> flood_fate; // cause -> packets, fixed order
    // Every drop of any packet, by cause (nic_ring_full, softirq_backlog, syn_backlog, firewall...).
    std::vector<std::pair<std::string, uint64_t>> drops;
    std::vector<CoreUsage> cores;
    std::vector<std::pair<std::string, uint64_t>> service_stats; // the service's own counters
    uint64_t packets_simulated = 0;      // all packets the model moved (for the benchmark)
    // The application consuming background datagrams (os.app_packet_cycles > 0), as in the
    // receive-livelock papers: its output rate against the offered rate.
    uint64_t app_consumed = 0;           // datagrams the application finished after the warmup
    uint64_t app_output_pps = 0;         // app_consumed per second of the measured window
    uint64_t app_socket_drops = 0;       // protocol work done, dropped at a full socket queue
    // Periodic timers (timers.count > 0): firing error = when the expiry was acted on - its
    // deadline, over expiries due after the warmup.
    std::string timer_path;              // "os_hrtimer" (a SCHED_FIFO task woken by an hrtimer), "offsched_timer" or ""
    uint64_t timer_samples = 0;
    uint64_t timer_err_p50_ns = 0;
    uint64_t timer_err_p99_ns = 0;
    uint64_t timer_err_max_ns = 0;
    // A periodic job set (rt_tasks), every release since the start.
    std::string rt_path;                 // "os_sched_fifo", "offsched_rt" or ""
    uint64_t rt_releases = 0;
    uint64_t rt_deadline_misses = 0;
    uint64_t rt_overruns = 0;
    uint64_t rt_max_response_ns = 0;
    RxResult rx;
    ChannelResult channel;
    // rtop_flood: what a remote admin's offsched-rtop received (companions/rtop_companion.h:
    // datagrams, gaps, sample age, the last sample per core). Null when nothing reports.
    nlohmann::ordered_json remote_view; // --json: rtop_view::kResultSection
};

nlohmann::ordered_json to_json(const DesignResult& r);
DesignResult design_result_from_json(const nlohmann::ordered_json& j);

} // namespace offsched::sim
