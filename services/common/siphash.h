// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit PRF for short inputs, the MAC
// Linux's syncookies use (siphash_4u32). Freestanding, integer only.
#pragma once

#include "model/types.h"

namespace offsched {

struct SipKey {
    u64 k0 = 0, k1 = 0;
};

// SipHash-2-4 of len bytes (the reference algorithm: little-endian words, length in the last byte).
u64 siphash24(const SipKey& key, const u8* data, u32 len);

// The same for exactly two 64-bit words (16 bytes, as two little-endian loads): the per-packet
// form, without the byte loop.
u64 siphash24_2u64(const SipKey& key, u64 a, u64 b);

} // namespace offsched
