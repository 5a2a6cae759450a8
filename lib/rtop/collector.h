// The one decoding path for rtop datagrams on the collector side: offsched-rtop, the QEMU test's
// frame listener (tools/traffic/rtop_listener) and the sim's remote observer all feed UDP
// payloads here. It decodes with services/rtop/rtop_wire.h (the encoder's own decoder), counts
// garbage by cause instead of failing, counts lost datagrams from sequence gaps, assembles
// samples split over several datagrams, and derives per-CPU percentages and the sample's age.
// Deterministic: time comes in as an argument (the sim passes simulated time).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace offsched::rtop_view {

struct CpuView {
    uint16_t cpu = 0;
    uint32_t nr_running = 0;
    uint64_t busy_ns = 0, idle_ns = 0, irq_ns = 0, softirq_ns = 0; // cumulative, as published
    // Shares of the time that passed since the previous sample, parts per million. Unset when
    // the CPU's counters did not move (a CPU the OS no longer accounts, or a stale publisher).
    bool has_share = false;
    uint32_t busy_ppm = 0, idle_ppm = 0, irq_ppm = 0, softirq_ppm = 0;
};

struct Sample {
    uint32_t sample = 0;        // the sender's sample number
    uint64_t timestamp_ns = 0;  // sender (service) clock when it took the snapshot
    uint64_t mem_total_kb = 0, mem_available_kb = 0;
    uint16_t total_cpus = 0;
    std::vector<CpuView> cpus;  // total_cpus entries
    // When the OS last published: the largest busy+idle+irq+softirq of any CPU (each CPU's
    // accounting adds up to the time since boot). lag = timestamp - published; age = lag minus
    // the smallest lag seen from this sender, i.e. staleness relative to the freshest sample (a
    // constant boot offset between the two clocks cancels out). This needs accounting that adds
    // up to elapsed time: true on hardware to a tick; under QEMU TCG a descheduled vCPU loses
    // ticks and the age drifts upwards. unchanged_ns does not depend on it: how long (in sample
    // timestamps) every counter has stood still, 0 when any moved since the previous sample.
    uint64_t published_ns = 0;
    int64_t lag_ns = 0;
    uint64_t age_ns = 0;
    uint64_t unchanged_ns = 0;
    uint64_t received_ns = 0;   // collector time of the datagram that completed it
};

struct Counters {
    uint64_t datagrams = 0;     // payloads fed
    uint64_t decoded = 0;       // payloads that decoded
    uint64_t garbage = 0;       // payloads that did not (by cause in garbage_by_cause)
    uint64_t lost = 0;          // datagrams missing from the sequence (gaps)
    uint64_t out_of_order = 0;  // datagrams older than one already seen (duplicates, reordering)
    uint64_t samples = 0;       // complete samples
    uint64_t incomplete = 0;    // samples abandoned because a later one started first
    uint64_t max_gap_ns = 0;    // longest time between two decoded datagrams
    std::array<uint64_t, 16> garbage_by_cause{}; // index: rtop::DecodeError
};

// The name a result gives the view (offsched-sim's --json: the remote admin's section).
inline constexpr const char* kResultSection = "rtop";

class Collector {
public:
    // Feeds one UDP payload received at now_ns. True when it completed a sample (last()).
    bool feed(const uint8_t* payload, size_t len, uint64_t now_ns);

    bool has_sample() const { return c_.samples > 0; }
    const Sample& last() const { return last_; }
    const Sample& first() const { return first_; }
    const Counters& counters() const { return c_; }

    // The last sample and the counters as one JSON object (integers only).
    nlohmann::ordered_json sample_json() const;
    nlohmann::ordered_json counters_json() const;

private:
    void complete(uint64_t now_ns);

    Counters c_;
    bool have_seq_ = false, have_rx_ = false, have_lag_ = false;
    uint32_t last_seq_ = 0;
    uint64_t last_rx_ns_ = 0;
    int64_t min_lag_ = 0;
    Sample pending_, last_, first_;
    std::vector<bool> pending_have_; // per CPU of the pending sample: record received
    uint32_t pending_filled_ = 0;
    bool pending_active_ = false;
};

// "12.3" for 123000 ppm (one decimal, integer arithmetic).
std::string ppm_as_percent(uint32_t ppm);

} // namespace offsched::rtop_view
