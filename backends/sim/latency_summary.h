// p50 / p99 / max of a set of integer latencies (ns), by nearest rank as the connect latencies
// are reported (clients.cc), so every latency row of a table reads the same way.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

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

} // namespace offsched::sim
