// Simulated time. SystemC runs at 1 ps resolution; the model thinks in cycles (costs, TSC) and
// ns (traffic, parameters). All conversions are integer and live here.
#pragma once

#include <cstdint>

#include <systemc>

namespace offsched::sim {

struct Timebase {
    uint64_t freq_mhz = 0;

    uint64_t cycles_to_ps(uint64_t cyc) const { return cyc * 1000000ull / freq_mhz; }
    uint64_t ps_to_cycles(uint64_t ps) const
    {
        uint64_t prod; // 64 bits hold ~1.5 hours of ps at 3 GHz; the 128-bit divide is a libgcc call
        if (!__builtin_mul_overflow(ps, freq_mhz, &prod)) return prod / 1000000ull;
        return static_cast<uint64_t>(static_cast<unsigned __int128>(ps) * freq_mhz / 1000000ull);
    }
    static sc_core::sc_time ps(uint64_t v) { return sc_core::sc_time::from_value(v); }
    static sc_core::sc_time ns(uint64_t v) { return sc_core::sc_time::from_value(v * 1000ull); }
    sc_core::sc_time cycles(uint64_t cyc) const { return ps(cycles_to_ps(cyc)); }
};

inline uint64_t now_ps() { return sc_core::sc_time_stamp().value(); }
inline uint64_t now_ns() { return sc_core::sc_time_stamp().value() / 1000ull; }

} // namespace offsched::sim
