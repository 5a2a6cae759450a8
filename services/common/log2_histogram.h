// Log2 histogram of nanosecond values for latency stats: bucket 0 holds 0 ns, bucket k (1..B-2)
// holds [2^(k-1), 2^k) ns, the last bucket holds everything from 2^(B-2) ns up. Integer only.
#pragma once

#include "model/stats.h"

namespace offsched {

template <u32 B> struct Log2Histogram {
    static_assert(B >= 2 && B <= 64, "bucket count");
    static u32 bucket_of(u64 ns)
    {
        if (ns == 0) return 0;
        const u32 k = 64 - static_cast<u32>(__builtin_clzll(ns)); // ns in [2^(k-1), 2^k)
        return k < B - 1 ? k : B - 1;
    }
    void record(u64 ns)
    {
        buckets[bucket_of(ns)].add();
        if (ns > max.read()) max.set(ns);
    }
    Counter buckets[B];
    Counter max;
};

} // namespace offsched
