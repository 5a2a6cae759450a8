// What the user asked to record of a run (--trace, --trace-window, --trace-sample, --vcd, --plot).
// Carried by sim::Scenario so the forked child that runs a design writes its own files.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace offsched::sim::trace {

struct TraceOptions {
    std::string perfetto_path; // --trace: Chrome/Perfetto trace-event JSON ("" = off)
    std::string vcd_path;      // --vcd: SystemC VCD waveforms ("" = off)
    std::string series_dir;    // --plot: per-design time series for the figures ("" = off)
    uint64_t window_from_ns = 0; // --trace-window: only this span of simulated time is written
    uint64_t window_to_ns = std::numeric_limits<uint64_t>::max();
    uint64_t sample_every = 1;   // --trace-sample: follow every Nth legitimate connection

    bool any() const { return !perfetto_path.empty() || !vcd_path.empty() || !series_dir.empty(); }
};

} // namespace offsched::sim::trace
