// Deterministic pseudo-random numbers: SplitMix64, keyed by (seed, stream, index) so any packet's
// random attributes can be recomputed from its position alone (flood packets are counts, not
// records, and are only materialised when a polled core reads them).
#pragma once

#include <cstdint>

namespace offsched::sim {

inline uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// keyed_random's first round, which depends only on the stream: callers drawing many words of
// one stream compute it once and use splitmix64(key + i).
inline uint64_t keyed_random_key(uint64_t seed, uint64_t stream) { return splitmix64(seed ^ (stream * 0xd1b54a32d192ed03ull)); }

// The random word number `i` of stream `stream` under `seed`.
inline uint64_t keyed_random(uint64_t seed, uint64_t stream, uint64_t i) { return splitmix64(keyed_random_key(seed, stream) + i); }

// A sequential generator for the few individual records (legit clients).
class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}
    uint64_t next() { return splitmix64(state_++ * 0x9e3779b97f4a7c15ull); }
    // Uniform in [0, n), n > 0 (multiply-shift, no modulo bias worth noting at 64 bits).
    uint64_t below(uint64_t n) { return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64); }

private:
    uint64_t state_;
};

} // namespace offsched::sim
