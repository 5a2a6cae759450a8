#include "services/firewall/synproxy_table.h"


namespace offsched::firewall {

namespace {
bool same(const ProxyConn& c, const ConnKey& k)
{
    return c.client_ip == k.client_ip && c.server_ip == k.server_ip && c.client_port == k.client_port &&
           c.server_port == k.server_port && ((c.flags & kConnIpv6) != 0) == k.ipv6;
}
// Keyed, two multiplies: every frame to a protected port pays it (a flood SYN included), and
// only completed handshakes can insert, so collision attacks need real connections anyway.
[[gnu::always_inline]] inline u32 hash_of(const ConnKey& k, u32 seed)
{
    const u64 key = (static_cast<u64>(seed) << 32) | seed;
    const u64 a = ((static_cast<u64>(k.client_ip) << 32) | k.server_ip) ^ key;
    const u64 b = ((static_cast<u64>(k.ipv6) << 32) | (static_cast<u64>(k.client_port) << 16) | k.server_port) ^ (key >> 7);
    u64 h = (a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full);
    h ^= h >> 29;
    return static_cast<u32>(h >> 32) ^ static_cast<u32>(h);
}
// The slot's tag: 8 high bits of the hash, never 0 (0 marks a free slot).
u8 tag_of(u32 h)
{
    const u8 t = static_cast<u8>(h >> 24);
    return t ? t : 1;
}
} // namespace

void ConnTable::init(void* arena, u32 capacity, u32 seed, const ConnTimeouts& t)
{
    tags_ = static_cast<u8*>(arena);
    slots_ = reinterpret_cast<ProxyConn*>(tags_ + tag_bytes(capacity));
    mask_ = capacity - 1;
    seed_ = seed;
    t_ = t;
    live_ = 0;
    sweep_at_ = 0;
    expired_ = 0;
    __builtin_memset(arena, 0, bytes_for(capacity));
}

u64 ConnTable::timeout(u8 state) const
{
    switch (state) {
    case kConnSynSent: return t_.handshake;
    case kConnEstablished: return t_.idle;
    default: return t_.closing;
    }
}

void ConnTable::free_slot(u32 i)
{
    if (!tags_[i]) return;
    tags_[i] = 0;
    slots_[i].state = kConnFree;
    --live_;
}

bool ConnTable::expire_if_due(u32 i, u64 now)
{
    if (!tags_[i] || now < slots_[i].expires) return false;
    free_slot(i);
    ++expired_;
    return true;
}

// Bit 8i+7 set where byte i of the bucket's tags equals tag (SWAR, Mycroft's zero-byte test on
// tags ^ tag: exact for the lowest match, and every candidate is confirmed on the key anyway).
u64 ConnTable::matches(const u8* tags, u8 tag)
{
    u64 w;
    __builtin_memcpy(&w, tags, 8);
    const u64 x = w ^ (0x0101010101010101ull * tag);
    return (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
}

ProxyConn* ConnTable::find(const ConnKey& k, u64 now)
{
    const u32 h = hash_of(k, seed_);
    const u8 tag = tag_of(h);
    const u32 base = bucket_of(h);
    for (u32 half = 0; half < kProbe; half += 8) {
        for (u64 m = matches(tags_ + base + half, tag); m; m &= m - 1) {
            const u32 s = base + half + static_cast<u32>(__builtin_ctzll(m)) / 8;
            if (tags_[s] != tag || !same(slots_[s], k)) continue;
            return expire_if_due(s, now) ? nullptr : &slots_[s];
        }
    }
    return nullptr;
}

ProxyConn* ConnTable::claim(const ConnKey& k, u64 now, bool* evicted)
{
    *evicted = false;
    const u32 base = bucket_of(hash_of(k, seed_));
    u32 free_at = ~0u, closing_at = ~0u;
    for (u32 i = 0; i < kProbe; ++i) {
        const u32 s = base + i;
        if (tags_[s]) expire_if_due(s, now);
        if (!tags_[s]) {
            if (free_at == ~0u) free_at = s;
        } else if (slots_[s].state == kConnClosing && (closing_at == ~0u || slots_[s].expires < slots_[closing_at].expires)) {
            closing_at = s;
        }
    }
    if (free_at == ~0u && closing_at != ~0u) {
        free_slot(closing_at);
        *evicted = true;
        free_at = closing_at;
    }
    if (free_at == ~0u) return nullptr;
    ProxyConn* c = &slots_[free_at];
    __builtin_memset(c, 0, sizeof *c);
    c->client_ip = k.client_ip;
    c->server_ip = k.server_ip;
    c->client_port = k.client_port;
    c->server_port = k.server_port;
    if (k.ipv6) c->flags = kConnIpv6;
    tags_[free_at] = 0; // set by touch()
    return c;
}

void ConnTable::release(ProxyConn* c) { free_slot(static_cast<u32>(c - slots_)); }

void ConnTable::touch(ProxyConn* c, ConnState s, u64 now)
{
    const u32 i = static_cast<u32>(c - slots_);
    if (!tags_[i]) { // a claimed slot becomes live
        tags_[i] = tag_of(hash_of(ConnKey{c->client_ip, c->server_ip, c->client_port, c->server_port, (c->flags & kConnIpv6) != 0}, seed_));
        ++live_;
    }
    c->state = s;
    c->expires = now + timeout(s);
}

u32 ConnTable::sweep(u64 now, u32 n)
{
    u32 freed = 0;
    for (u32 i = 0; i < n; ++i) {
        freed += expire_if_due(sweep_at_, now);
        sweep_at_ = (sweep_at_ + 1) & mask_;
    }
    return freed;
}

} // namespace offsched::firewall
