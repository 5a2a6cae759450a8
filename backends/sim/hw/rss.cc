#include "backends/sim/hw/rss.h"

namespace offsched::sim {

namespace {
const uint8_t kKey[40] = {0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
                          0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
                          0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa};

// The 32-bit key window starting at bit `bit` of the key.
uint32_t key_window(uint32_t bit)
{
    uint64_t w = 0;
    for (uint32_t i = 0; i < 8; ++i) w = (w << 8) | kKey[(bit / 8 + i) % 40];
    return static_cast<uint32_t>(w >> (32 - bit % 8));
}
} // namespace

Rss::Rss(uint32_t queues, uint32_t table_entries) : table_(table_entries), mask_(table_entries - 1)
{
    for (uint32_t i = 0; i < table_entries; ++i) table_[i] = i % queues; // ethtool_rxfh_indir_default
    // Toeplitz is linear over GF(2): precompute every byte value's contribution per position.
    for (uint32_t pos = 0; pos < 36; ++pos)
        for (uint32_t v = 0; v < 256; ++v) {
            uint32_t h = 0;
            for (uint32_t b = 0; b < 8; ++b)
                if (v & (0x80u >> b)) h ^= key_window(pos * 8 + b);
            lut6_[pos][v] = h;
            if (pos < 12) lut_[pos][v] = h;
        }
}

uint32_t Rss::entries_for(uint32_t q) const
{
    uint32_t n = 0;
    for (uint32_t e : table_) n += e == q;
    return n;
}

} // namespace offsched::sim
