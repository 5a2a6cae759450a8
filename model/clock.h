// Time as a service sees it: a TSC-like cycle counter and its frequency.
// Conversion is integer mult/shift (as the kernel's cyc2ns) because services may not use floating point.
#pragma once

#include "model/types.h"

namespace offsched {

class Clock {
public:
    // Monotonic cycle counter (TSC on x86, simulated cycles in the sim).
    virtual u64 cycles() const = 0;
    // Counter frequency in kHz (as the kernel's tsc_khz).
    virtual u32 khz() const = 0;

protected:
    ~Clock() = default; // never deleted through the interface: no operator delete in the kernel
};

// cycles -> ns with a precomputed multiplier: ns = (cyc * mult) >> shift.
struct CycleConverter {
    u32 mult = 0;
    u32 shift = 0;
    u32 khz = 0;

    void init(u32 freq_khz)
    {
        khz = freq_khz;
        shift = 22; // keeps mult < 2^32 for any clock above ~1 MHz
        mult = static_cast<u32>((1000000ull << shift) / freq_khz);
    }
    // Exact for spans up to ~2^41 cycles per call; callers convert deltas, not absolute times.
    u64 to_ns(u64 cyc) const
    {
        const u64 hi = cyc >> 32, lo = cyc & 0xffffffffull;
        return ((hi * mult) << (32 - shift)) + ((lo * mult) >> shift);
    }
    u64 from_ns(u64 ns) const { return ns * khz / 1000000ull; }
};

} // namespace offsched
