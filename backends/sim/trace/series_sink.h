// Bins a whole run into time series for the --plot figures: per core, the nanoseconds spent in
// each mode per bin; per bin, legitimate connections started, established (by start bin) and
// their connect latency (by accept bin). Written as JSON by the child that ran the design and
// read back by the figure renderer. Memory: bins x (cores x modes + a few), plus the start time
// of each connection alive.
#pragma once

#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/sim/trace/trace_sink.h"

namespace offsched::sim::trace {

constexpr uint32_t kSeriesBins = 100;
constexpr uint32_t kModes = static_cast<uint32_t>(CpuMode::Count);

struct Series {
    std::string design;
    uint64_t bin_ns = 0;
    std::vector<std::string> core_roles;
    std::vector<std::vector<std::array<uint64_t, kModes>>> core_mode_ns; // [core][bin][mode]
    std::vector<uint64_t> attempts, established, gave_up;  // by the bin the connection started
    std::vector<uint64_t> accepted, latency_sum_ns, latency_max_ns; // by the bin of accept()
    // Not in the file: set by the renderer from the scenario. A connection started later than
    // this before the end had not yet had its chance to fail (0: no such cut).
    uint64_t connect_timeout_ns = 0;
};

nlohmann::ordered_json series_to_json(const Series& s);
Series series_from_json(const nlohmann::ordered_json& j); // throws nlohmann::json::exception

class SeriesSink final : public TraceSink {
public:
    explicit SeriesSink(const TraceLayout& layout);
    void core_mode(uint64_t t, uint32_t core, CpuMode mode, const char* label) override;
    void ring_fill(uint64_t, uint32_t, uint32_t) override {}
    void irq_line(uint64_t, uint32_t, bool) override {}
    void flow(uint64_t t, uint64_t conn, FlowStep step, uint32_t core) override;
    void finish(uint64_t t) override;
    const Series& series() const { return s_; }

private:
    struct CoreNow {
        bool known = false;
        CpuMode mode = CpuMode::Idle;
        uint64_t since = 0;
    };
    uint32_t bin(uint64_t t) const;
    void account(uint32_t core, uint64_t until);

    Series s_;
    std::vector<CoreNow> now_;
    std::unordered_map<uint64_t, uint64_t> started_; // connection -> start time
};

} // namespace offsched::sim::trace
