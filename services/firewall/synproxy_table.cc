#include "services/firewall/synproxy_table.h"

#include "services/net/flow_hash.h"

namespace offsched::firewall {

namespace {
bool same(const ProxyConn& c, const ConnKey& k)
{
    return c.client_ip == k.client_ip && c.server_ip == k.server_ip && c.client_port == k.client_port &&
           c.server_port == k.server_port;
}
u32 home(const ConnKey& k, u32 seed, u32 mask)
{
    return net::flow_hash(net::FlowKey{k.client_ip, k.server_ip, k.client_port, k.server_port, 6}, seed) & mask;
}
} // namespace

void ConnTable::init(void* arena, u32 capacity, u32 seed, const ConnTimeouts& t)
{
    slots_ = static_cast<ProxyConn*>(arena);
    mask_ = capacity - 1;
    seed_ = seed;
    t_ = t;
    live_ = 0;
    sweep_at_ = 0;
    expired_ = 0;
    __builtin_memset(slots_, 0, bytes_for(capacity));
}

u64 ConnTable::timeout(u8 state) const
{
    switch (state) {
    case kConnSynSent: return t_.handshake;
    case kConnEstablished: return t_.idle;
    default: return t_.closing;
    }
}

bool ConnTable::expire_if_due(ProxyConn& c, u64 now)
{
    if (c.state == kConnFree || now < c.expires) return false;
    release(&c);
    ++expired_;
    return true;
}

ProxyConn* ConnTable::find(const ConnKey& k, u64 now)
{
    const u32 h = home(k, seed_, mask_);
    for (u32 i = 0; i < kProbe; ++i) {
        ProxyConn& c = slots_[(h + i) & mask_];
        if (c.state != kConnFree && same(c, k)) return expire_if_due(c, now) ? nullptr : &c;
    }
    return nullptr;
}

ProxyConn* ConnTable::claim(const ConnKey& k, u64 now, bool* evicted)
{
    *evicted = false;
    const u32 h = home(k, seed_, mask_);
    ProxyConn* free_slot = nullptr;
    ProxyConn* closing = nullptr;
    for (u32 i = 0; i < kProbe; ++i) {
        ProxyConn& c = slots_[(h + i) & mask_];
        if (c.state != kConnFree) expire_if_due(c, now);
        if (c.state == kConnFree) {
            if (!free_slot) free_slot = &c;
        } else if (c.state == kConnClosing && (!closing || c.expires < closing->expires)) {
            closing = &c;
        }
    }
    ProxyConn* c = free_slot;
    if (!c && closing) {
        release(closing);
        *evicted = true;
        c = closing;
    }
    if (!c) return nullptr;
    __builtin_memset(c, 0, sizeof *c);
    c->client_ip = k.client_ip;
    c->server_ip = k.server_ip;
    c->client_port = k.client_port;
    c->server_port = k.server_port;
    return c;
}

void ConnTable::release(ProxyConn* c)
{
    if (c->state == kConnFree) return;
    c->state = kConnFree;
    --live_;
}

void ConnTable::touch(ProxyConn* c, ConnState s, u64 now)
{
    if (c->state == kConnFree && s != kConnFree) ++live_;
    c->state = s;
    c->expires = now + timeout(s);
}

u32 ConnTable::sweep(u64 now, u32 n)
{
    u32 freed = 0;
    for (u32 i = 0; i < n; ++i) {
        freed += expire_if_due(slots_[sweep_at_], now);
        sweep_at_ = (sweep_at_ + 1) & mask_;
    }
    return freed;
}

} // namespace offsched::firewall
