// Network byte order without libc: explicit byte loads/stores, so unaligned headers inside a
// frame buffer are safe on every architecture and no htons/ntohl is needed.
#pragma once

#include "model/types.h"

namespace offsched::net {

inline u16 load_be16(const u8* p) { return static_cast<u16>((p[0] << 8) | p[1]); }
inline u32 load_be32(const u8* p)
{
    return (static_cast<u32>(p[0]) << 24) | (static_cast<u32>(p[1]) << 16) |
           (static_cast<u32>(p[2]) << 8) | p[3];
}
inline u64 load_be64(const u8* p) { return (static_cast<u64>(load_be32(p)) << 32) | load_be32(p + 4); }
inline void store_be16(u8* p, u16 v)
{
    p[0] = static_cast<u8>(v >> 8);
    p[1] = static_cast<u8>(v);
}
inline void store_be32(u8* p, u32 v)
{
    p[0] = static_cast<u8>(v >> 24);
    p[1] = static_cast<u8>(v >> 16);
    p[2] = static_cast<u8>(v >> 8);
    p[3] = static_cast<u8>(v);
}
inline void store_be64(u8* p, u64 v)
{
    store_be32(p, static_cast<u32>(v >> 32));
    store_be32(p + 4, static_cast<u32>(v));
}
inline void copy_bytes(u8* dst, const u8* src, u32 n) { __builtin_memcpy(dst, src, n); }

// Dotted-quad helper for tests and configs: ipv4(10, 0, 0, 1) == 0x0a000001 (host order).
constexpr u32 ipv4(u8 a, u8 b, u8 c, u8 d)
{
    return (static_cast<u32>(a) << 24) | (static_cast<u32>(b) << 16) | (static_cast<u32>(c) << 8) | d;
}

} // namespace offsched::net
