#include "services/firewall/flow_table.h"

namespace offsched::firewall {

namespace {
bool same(u32 si, u32 di, u16 sp, u16 dp, const net::FlowKey& k)
{
    return si == k.src_ip && di == k.dst_ip && sp == k.src_port && dp == k.dst_port;
}
} // namespace

u32 FlowTable::start(const net::FlowKey& k) const { return net::flow_hash(k, seed_) & (kSlots - 1); }

FlowTable::Entry* FlowTable::find(const net::FlowKey& k)
{
    const u32 s = start(k);
    for (u32 i = 0; i < kProbe; ++i) {
        Entry& e = slots_[(s + i) & (kSlots - 1)];
        if (e.used && same(e.src_ip, e.dst_ip, e.src_port, e.dst_port, k)) return &e;
    }
    return nullptr;
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
    const u32 s = start(k);
    Entry* victim = nullptr;
    bool evicted = true;
    for (u32 i = 0; i < kProbe; ++i) {
        Entry& e = slots_[(s + i) & (kSlots - 1)];
        if (!e.used) {
            victim = &e;
            evicted = false;
            break;
        }
        if (!victim || e.last_seen < victim->last_seen) victim = &e;
    }
    *victim = Entry{k.src_ip, k.dst_ip, k.src_port, k.dst_port, true, now};
    return evicted;
}

void FlowTable::erase(const net::FlowKey& k)
{
    if (Entry* e = find(k)) e->used = false;
}

} // namespace offsched::firewall
