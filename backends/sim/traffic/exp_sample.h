// An exponential variate (mean 1) from one random 64-bit word, in integers only: libm's log()
// differs by an ulp between CPUs (glibc picks an FMA variant at run time), and the simulator's
// results must be byte-identical on every machine. -ln(u) = ln2 * -log2(u): the leading zeros of
// u give the integer part of -log2 exactly, a 1025-entry table (built at compile time by
// repeated squaring) with linear interpolation the fraction, to about 4e-8.
#pragma once

#include <array>
#include <cstdint>

namespace offsched::sim {

namespace exp_detail {

// -log2(m) in Q32 for m = (1024 + i) / 2048, i = 0..1024 (m in [0.5, 1]).
constexpr std::array<uint64_t, 1025> make_neg_log2_table()
{
    std::array<uint64_t, 1025> t{};
    for (uint32_t i = 0; i <= 1024; ++i) {
        // log2(x) for x = (1024 + i) / 1024 in [1, 2], one bit per squaring (x in Q62).
        unsigned __int128 x = (static_cast<unsigned __int128>(1024 + i) << 62) / 1024;
        uint64_t frac = 0;
        if (x >= (static_cast<unsigned __int128>(2) << 62)) { // x == 2: log2 is exactly 1
            t[i] = 0;
            continue;
        }
        for (int b = 31; b >= 0; --b) {
            x = (x * x) >> 62;
            if (x >= (static_cast<unsigned __int128>(2) << 62)) {
                x >>= 1;
                frac |= 1ull << b;
            }
        }
        t[i] = (1ull << 32) - frac; // -log2(x / 2) = 1 - log2(x)
    }
    return t;
}

inline constexpr std::array<uint64_t, 1025> kNegLog2 = make_neg_log2_table();
inline constexpr uint64_t kLn2Q32 = 2977044472ull; // ln 2 * 2^32, rounded

} // namespace exp_detail

// -log2(u / 2^64) in Q32: Exp(1) / ln 2, enough where only ratios of sums matter.
inline uint64_t neg_log2_q32(uint64_t u)
{
    if (u == 0) u = 1;
    const uint32_t z = static_cast<uint32_t>(__builtin_clzll(u));
    const uint64_t m = u << z; // top bit set: m / 2^64 in [0.5, 1)
    const uint32_t idx = static_cast<uint32_t>((m >> 53) & 1023);
    const uint64_t frac = (m >> 21) & 0xffffffffull;
    const uint64_t a = exp_detail::kNegLog2[idx], b = exp_detail::kNegLog2[idx + 1];
    return (static_cast<uint64_t>(z) << 32) + a - (((a - b) * frac) >> 32);
}

// Exp(1) in Q32 (2^32 is 1.0) from a uniform random word. At most about 44.4 (u = 1).
inline uint64_t exp_q32(uint64_t u)
{
    return static_cast<uint64_t>((static_cast<unsigned __int128>(neg_log2_q32(u)) * exp_detail::kLn2Q32) >> 32);
}

// An exponential variate of the given mean (any unit) from a uniform random word.
inline uint64_t exp_with_mean(uint64_t u, uint64_t mean)
{
    return static_cast<uint64_t>((static_cast<unsigned __int128>(exp_q32(u)) * mean) >> 32);
}

} // namespace offsched::sim
