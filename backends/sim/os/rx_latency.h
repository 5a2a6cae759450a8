// Established-flow receive, measured where the packet ends: segments delivered to their socket
// and each one's latency from NIC arrival to that delivery. Latencies go into a fixed-size
// log-linear histogram (memory does not grow with packets): 128 buckets per power of two, so a
// reported percentile is the upper edge of its bucket, at most 1/128 (0.8 %) above the exact
// value; the maximum is exact. Integers only: the same run gives the same numbers.
#pragma once

#include <cstdint>
#include <vector>

#include "backends/sim/traffic/arrival_stream.h"

namespace offsched::sim {

class RxLatency {
public:
    void configure(uint64_t warmup_ns) { warmup_ns_ = warmup_ns; }
    // Queue q's background stream, to know when its packet k arrived.
    void set_stream(uint32_t q, const ArrivalStream& s)
    {
        if (streams_.size() <= q) streams_.resize(q + 1);
        streams_[q] = s;
    }
    uint64_t arrival_ns(uint32_t q, uint64_t k) { return q < streams_.size() ? streams_[q].time_of(k) : 0; }

    // n segments that arrived at arrival_ns reached their socket at done_ns.
    void add(uint64_t arrival_ns, uint64_t done_ns, uint64_t n)
    {
        total_ += n;
        if (done_ns < warmup_ns_) return;
        measured_ += n;
        const uint64_t lat = done_ns > arrival_ns ? done_ns - arrival_ns : 0;
        if (lat > max_) max_ = lat;
        counts_[bucket(lat)] += n;
    }

    uint64_t delivered() const { return total_; }      // whole run
    uint64_t measured() const { return measured_; }    // after the warm-up
    uint64_t max_ns() const { return max_; }
    // Smallest bucket edge at or above the p-th percentile (nearest rank), p in per mille.
    uint64_t percentile_ns(uint32_t per_mille) const
    {
        if (!measured_) return 0;
        const uint64_t rank = (measured_ - 1) * per_mille / 1000 + 1;
        uint64_t seen = 0;
        for (uint32_t b = 0; b < kBuckets; ++b) {
            seen += counts_[b];
            if (seen >= rank) {
                const uint64_t edge = upper_edge(b);
                return edge < max_ ? edge : max_;
            }
        }
        return max_;
    }

private:
    static constexpr uint32_t kSubBits = 7;
    static constexpr uint32_t kBuckets = (64 - kSubBits + 1) << kSubBits;

    // Values below 2^kSubBits are exact; above, kSubBits bits after the leading one.
    static uint32_t bucket(uint64_t v)
    {
        if (v < (1ull << kSubBits)) return static_cast<uint32_t>(v);
        const uint32_t msb = 63 - static_cast<uint32_t>(__builtin_clzll(v));
        const uint32_t shift = msb - kSubBits;
        return ((shift + 1) << kSubBits) + static_cast<uint32_t>((v >> shift) & ((1u << kSubBits) - 1));
    }
    static uint64_t upper_edge(uint32_t b)
    {
        if (b < (1u << kSubBits)) return b;
        const uint32_t shift = (b >> kSubBits) - 1;
        const uint64_t mant = (1ull << kSubBits) | (b & ((1u << kSubBits) - 1));
        return ((mant + 1) << shift) - 1;
    }

    uint64_t warmup_ns_ = 0;
    std::vector<ArrivalStream> streams_;
    uint64_t total_ = 0, measured_ = 0, max_ = 0;
    uint64_t counts_[kBuckets] = {};
};

} // namespace offsched::sim
