// Flow identity and a deterministic hash of it, shared by every service that steers or keys
// state by flow (firewall buckets, NAPI steering). Integer-only, seedable so a hostile peer
// cannot aim at one bucket without knowing the seed.
#pragma once

#include "model/types.h"
#include "services/net/parse.h"

namespace offsched::net {

struct FlowKey {
    u32 src_ip;
    u32 dst_ip;
    u16 src_port;
    u16 dst_port;
    u8 proto;
};

// A parsed frame's flow, as its sender sees it.
inline FlowKey flow_key(const ParsedFrame& p) { return FlowKey{p.src_ip, p.dst_ip, p.src_port, p.dst_port, p.proto}; }

// Murmur3 finaliser: full avalanche, cheap, no tables.
inline u32 mix32(u32 h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

inline u32 hash_u32(u32 v, u32 seed) { return mix32(v ^ mix32(seed + 0x9e3779b9u)); }

inline u32 flow_hash(const FlowKey& k, u32 seed)
{
    u32 h = mix32(seed ^ k.src_ip);
    h = mix32(h ^ k.dst_ip);
    h = mix32(h ^ ((static_cast<u32>(k.src_port) << 16) | k.dst_port));
    return mix32(h ^ k.proto);
}

// Maps a 32-bit hash onto [0, n) without division bias or a divide instruction.
inline u32 reduce(u32 hash, u32 n) { return static_cast<u32>((static_cast<u64>(hash) * n) >> 32); }

} // namespace offsched::net
