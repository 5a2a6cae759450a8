#include "services/firewall/flow_table.h"

namespace offsched::firewall {

FlowTable::Entry* FlowTable::find(const net::FlowKey& k)
{
    return table_.find(net::flow_hash(k, seed_), [&](const Entry& e) {
        return e.key.src_ip == k.src_ip && e.key.dst_ip == k.dst_ip && e.key.src_port == k.src_port &&
               e.key.dst_port == k.dst_port;
    });
}

bool FlowTable::touch(const net::FlowKey& k, u64 now)
{
    Entry* e = find(k);
    if (!e) return false;
    e->last_seen = now;
    return true;
}

bool FlowTable::insert(const net::FlowKey& k, u64 now)
{
    if (touch(k, now)) return false;
    bool evicted = false;
    Entry& e = table_.claim(net::flow_hash(k, seed_), [](const Entry& x) { return x.last_seen; }, &evicted);
    e = Entry{k, true, now};
    return evicted;
}

void FlowTable::erase(const net::FlowKey& k)
{
    if (Entry* e = find(k)) e->used = false;
}

} // namespace offsched::firewall
