// An IPv4 or IPv6 prefix as configs carry it (firewall rules' sources): one POD for both
// families, so a rule list stays a flat array the kernel module receives as it is.
#pragma once

#include "model/types.h"

namespace offsched {

// Family 0 is "any": every address of either family (prefix_len 0).
struct IpPrefix {
    u32 family;     // 0, 4 or 6
    u32 prefix_len; // 0..32 or 0..128
    u32 v4;         // family 4: host order, masked
    u32 reserved;   // 0
    u64 v6[2];      // family 6: host order, masked; [0] the high 64 bits
};

constexpr IpPrefix ipv4_prefix(u32 addr, u32 len) { return IpPrefix{4, len, addr, 0, {0, 0}}; }
constexpr IpPrefix ipv6_prefix(u64 hi, u64 lo, u32 len) { return IpPrefix{6, len, 0, 0, {hi, lo}}; }

// Whether p is well formed: a known family, a length within it, no host bits set.
bool prefix_valid(const IpPrefix& p);
// The top `len` bits of a word set (len 0..32 or 0..64), without shifting by the word's width.
constexpr u32 prefix_mask32(u32 len) { return len == 0 ? 0 : ~0u << (32 - len); }
constexpr u64 prefix_mask64(u32 len) { return len == 0 ? 0 : ~0ull << (64 - len); }

// Whether an address is inside p: an address of the other family never is, except for family 0.
// Inline: firewall rules test one per rule per frame.
inline bool prefix_contains_v4(const IpPrefix& p, u32 addr)
{
    if (p.family == 0) return true;
    return p.family == 4 && (addr & prefix_mask32(p.prefix_len)) == p.v4;
}
inline bool prefix_contains_v6(const IpPrefix& p, const u64* addr)
{
    if (p.family == 0) return true;
    if (p.family != 6) return false;
    const u32 hi = p.prefix_len > 64 ? 64 : p.prefix_len, lo = p.prefix_len > 64 ? p.prefix_len - 64 : 0;
    return (addr[0] & prefix_mask64(hi)) == p.v6[0] && (addr[1] & prefix_mask64(lo)) == p.v6[1];
}

} // namespace offsched
