// Connections whose handshake the firewall validated with a SYN cookie (syncookies mode): later
// segments of these flows pass without a cookie check. Fixed-size open addressing, no heap.
//
// Eviction policy: as SourceTable, the least recently seen entry of a full probe window is
// replaced. An evicted connection's next segment fails the cookie check and is dropped
// (counted as cookies_invalid), so the table must hold the number of concurrently active
// protected connections; flow_evictions shows when it does not.
#pragma once

#include "services/common/lru_probe_table.h"
#include "services/net/flow_hash.h"

namespace offsched::firewall {

class FlowTable {
public:
    void init(u32 seed)
    {
        seed_ = seed;
        table_.clear();
    }
    // Refreshes last-seen and returns true when the flow is known.
    bool touch(const net::FlowKey& k, u64 now);
    // Adds (or refreshes) a flow; returns true if another flow was evicted for it.
    bool insert(const net::FlowKey& k, u64 now);
    void erase(const net::FlowKey& k);

private:
    struct Entry {
        net::FlowKey key;
        bool used;
        u64 last_seen;
    };
    Entry* find(const net::FlowKey& k);

    LruProbeTable<Entry, 4096, 8> table_;
    u32 seed_ = 0;
};

} // namespace offsched::firewall
