#include "services/common/siphash.h"

namespace offsched {

namespace {

inline u64 rotl(u64 x, u32 b) { return (x << b) | (x >> (64 - b)); }

struct SipState {
    u64 v0, v1, v2, v3;
    explicit SipState(const SipKey& k)
        : v0(k.k0 ^ 0x736f6d6570736575ull), v1(k.k1 ^ 0x646f72616e646f6dull),
          v2(k.k0 ^ 0x6c7967656e657261ull), v3(k.k1 ^ 0x7465646279746573ull)
    {
    }
    void round()
    {
        v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
        v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
        v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
        v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
    }
    void compress(u64 m)
    {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }
    u64 finish()
    {
        v2 ^= 0xff;
        round();
        round();
        round();
        round();
        return v0 ^ v1 ^ v2 ^ v3;
    }
};

inline u64 load_le64(const u8* p)
{
    u64 v = 0;
    for (u32 i = 0; i < 8; ++i) v |= static_cast<u64>(p[i]) << (8 * i);
    return v;
}

} // namespace

u64 siphash24(const SipKey& key, const u8* data, u32 len)
{
    SipState s(key);
    const u32 whole = len & ~7u;
    for (u32 i = 0; i < whole; i += 8) s.compress(load_le64(data + i));
    u64 last = static_cast<u64>(len & 0xff) << 56;
    for (u32 i = 0; i < (len & 7); ++i) last |= static_cast<u64>(data[whole + i]) << (8 * i);
    s.compress(last);
    return s.finish();
}

u64 siphash24_2u64(const SipKey& key, u64 a, u64 b)
{
    SipState s(key);
    s.compress(a);
    s.compress(b);
    s.compress(16ull << 56);
    return s.finish();
}

} // namespace offsched
