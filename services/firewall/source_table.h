// Per-source token buckets for ratelimit rules, keyed by (source address, rule index), in a
// fixed-size open-addressing table (no heap).
//
// Eviction policy: a key hashes to a window of kProbe consecutive slots. A missing key takes the
// first free slot of its window; when the window is full, the slot refilled least recently is
// evicted and the newcomer starts with a full bucket. Consequence, by design: a flood from more
// sources than slots can push a legitimate source out, which then gets a fresh (full) bucket,
// never a smaller one; total SYN pressure is bounded by the global SYN limit, not by this
// table. Evictions are counted.
#pragma once

#include "services/common/lru_probe_table.h"
#include "services/common/token_bucket.h"

namespace offsched::firewall {

class SourceTable {
public:
    static constexpr u32 kSlots = 1024;
    static constexpr u32 kProbe = 8;

    void init(u32 seed)
    {
        seed_ = seed;
        table_.clear();
    }
    // The bucket of (src, rule), inserting (full) or evicting as described above.
    TokenBucket& lookup(u32 src, u32 rule, const TokenBucketParams& p, u64 now, bool* evicted);
    bool contains(u32 src, u32 rule) const;
    u32 occupied() const { return table_.occupied(); }
    // First slot of the probe window of (src, rule).
    static u32 home_slot(u32 src, u32 rule, u32 seed);

private:
    struct Entry {
        u32 src;
        u16 rule;
        bool used;
        TokenBucket bucket;
    };
    LruProbeTable<Entry, kSlots, kProbe> table_;
    u32 seed_ = 0;
};

} // namespace offsched::firewall
