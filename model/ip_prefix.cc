#include "model/ip_prefix.h"

namespace offsched {

namespace {
// The top `len` bits of a 64-bit word set (len 0..64), without shifting by 64.
u64 mask64(u32 len) { return len == 0 ? 0 : ~0ull << (64 - len); }
u32 mask32(u32 len) { return len == 0 ? 0 : ~0u << (32 - len); }
u32 clamp64(u32 len) { return len > 64 ? 64 : len; }
} // namespace

bool prefix_valid(const IpPrefix& p)
{
    if (p.reserved) return false;
    switch (p.family) {
    case 0: return p.prefix_len == 0 && !p.v4 && !p.v6[0] && !p.v6[1];
    case 4: return p.prefix_len <= 32 && !(p.v4 & ~mask32(p.prefix_len)) && !p.v6[0] && !p.v6[1];
    case 6:
        return p.prefix_len <= 128 && !p.v4 && !(p.v6[0] & ~mask64(clamp64(p.prefix_len))) &&
               !(p.v6[1] & ~mask64(p.prefix_len > 64 ? p.prefix_len - 64 : 0));
    default: return false;
    }
}

bool prefix_contains_v4(const IpPrefix& p, u32 addr)
{
    if (p.family == 0) return true;
    return p.family == 4 && (addr & mask32(p.prefix_len)) == p.v4;
}

bool prefix_contains_v6(const IpPrefix& p, const u64* addr)
{
    if (p.family == 0) return true;
    if (p.family != 6) return false;
    const u32 hi = clamp64(p.prefix_len), lo = p.prefix_len > 64 ? p.prefix_len - 64 : 0;
    return (addr[0] & mask64(hi)) == p.v6[0] && (addr[1] & mask64(lo)) == p.v6[1];
}

} // namespace offsched
