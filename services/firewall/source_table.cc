#include "services/firewall/source_table.h"

#include "services/net/flow_hash.h"

namespace offsched::firewall {

u32 SourceTable::home_slot(u32 src, u32 rule, u32 seed)
{
    return net::hash_u32(src ^ (rule << 24) ^ rule, seed) & (kSlots - 1);
}

bool SourceTable::contains(u32 src, u32 rule) const
{
    return table_.find(home_slot(src, rule, seed_), [&](const Entry& e) { return e.src == src && e.rule == rule; });
}

TokenBucket& SourceTable::lookup(u32 src, u32 rule, const TokenBucketParams& p, u64 now, bool* evicted)
{
    const u32 home = home_slot(src, rule, seed_);
    if (Entry* e = table_.find(home, [&](const Entry& x) { return x.src == src && x.rule == rule; })) {
        *evicted = false;
        return e->bucket;
    }
    Entry& e = table_.claim(home, [](const Entry& x) { return x.bucket.last; }, evicted);
    e.used = true;
    e.src = src;
    e.rule = static_cast<u16>(rule);
    e.bucket.fill(p, now);
    return e.bucket;
}

} // namespace offsched::firewall
