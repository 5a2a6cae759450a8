// p50 / p99 / max of a set of integer latencies (ns), by nearest rank as the connect latencies
// are reported (clients.cc), so every latency row of a table reads the same way.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "backends/sim/run/result.h"

namespace offsched::sim {

struct LatencySummary {
    uint64_t count = 0;
    uint64_t p50_ns = 0;
    uint64_t p99_ns = 0;
    uint64_t max_ns = 0;
};

inline LatencySummary summarize_latencies(std::vector<uint64_t> v)
{
    LatencySummary s;
    s.count = v.size();
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    s.p50_ns = v[(v.size() - 1) / 2];
    s.p99_ns = v[(v.size() - 1) * 99 / 100];
    s.max_ns = v.back();
    return s;
}

// A timer path's firing errors as the result's timer rows (OS hrtimer tasks, the timer service).
inline void fill_timer_result(DesignResult& r, const char* path, const std::vector<uint64_t>& errors_ns)
{
    const LatencySummary s = summarize_latencies(errors_ns);
    r.timer_path = path;
    r.timer_samples = s.count;
    r.timer_err_p50_ns = s.p50_ns;
    r.timer_err_p99_ns = s.p99_ns;
    r.timer_err_max_ns = s.max_ns;
}

} // namespace offsched::sim
