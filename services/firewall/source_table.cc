#include "services/firewall/source_table.h"

#include "services/net/flow_hash.h"

namespace offsched::firewall {

u32 SourceTable::home_slot(u32 src, u32 rule, u32 seed)
{
    return net::hash_u32(src ^ (rule << 24) ^ rule, seed) & (kSlots - 1);
}

bool SourceTable::contains(u32 src, u32 rule) const
{
    const u32 start = home_slot(src, rule, seed_);
    for (u32 i = 0; i < kProbe; ++i) {
        const Entry& e = slots_[(start + i) & (kSlots - 1)];
        if (e.used && e.src == src && e.rule == rule) return true;
    }
    return false;
}

TokenBucket& SourceTable::lookup(u32 src, u32 rule, const TokenBucketParams& p, u64 now, bool* evicted)
{
    *evicted = false;
    const u32 start = home_slot(src, rule, seed_);
    Entry* free_slot = nullptr;
    Entry* oldest = nullptr;
    for (u32 i = 0; i < kProbe; ++i) {
        Entry& e = slots_[(start + i) & (kSlots - 1)];
        if (!e.used) {
            if (!free_slot) free_slot = &e;
            continue;
        }
        if (e.src == src && e.rule == rule) return e.bucket;
        if (!oldest || e.bucket.last < oldest->bucket.last) oldest = &e;
    }
    Entry* e = free_slot;
    if (!e) {
        e = oldest;
        *evicted = true;
    }
    e->used = true;
    e->src = src;
    e->rule = static_cast<u16>(rule);
    e->bucket.fill(p, now);
    return e->bucket;
}

u32 SourceTable::occupied() const
{
    u32 n = 0;
    for (const Entry& e : slots_) n += e.used;
    return n;
}

} // namespace offsched::firewall
