// The rate the dead CPU's core really runs at. MPERF counts at the fixed reference (TSC) rate
// while the core is in C0 and APERF at the rate it actually runs, so over a window the core ran
// at tsc_khz * dAPERF / dMPERF (Linux's arch_freq_get_on_cpu does the same). An offlined CPU gets
// no scheduler tick, and the cpufreq driver may have left it in its lowest P-state or a thermal
// limit may hold it down: the loop's work rate then falls with no other sign. Freestanding
// (no division of 128-bit values in the kernel), tested on the host.
#pragma once

#include "model/types.h"

namespace offsched {

// kHz over one window of counter deltas; 0 when nothing was counted. Deltas too large for the
// product lose low bits together, which keeps their ratio.
inline u32 effective_khz(u32 tsc_khz, u64 d_aperf, u64 d_mperf)
{
    if (!tsc_khz) return 0;
    while (d_aperf > ~0ull / tsc_khz) {
        d_aperf >>= 1;
        d_mperf >>= 1;
    }
    if (!d_mperf) return 0;
    const u64 khz = d_aperf * tsc_khz / d_mperf;
    return khz > 0xffffffffull ? 0xffffffffu : static_cast<u32>(khz);
}

// Windows of `window` TSC cycles; sample() is called with the counters read on the dead CPU.
class EffectiveClock {
public:
    void init(u32 tsc_khz, u64 window_cycles)
    {
        tsc_khz_ = tsc_khz;
        window_ = window_cycles;
    }
    bool due(u64 tsc) const { return !started_ || tsc - t0_ >= window_; }
    // Closes the window that started at the previous sample; true when khz() has a new value.
    bool sample(u64 tsc, u64 aperf, u64 mperf)
    {
        const bool closed = started_;
        if (closed) {
            last_ = effective_khz(tsc_khz_, aperf - a0_, mperf - m0_);
            if (last_ && (!min_ || last_ < min_)) min_ = last_;
        }
        started_ = true;
        t0_ = tsc;
        a0_ = aperf;
        m0_ = mperf;
        return closed;
    }
    u32 khz() const { return last_; }     // the last window, 0 before the first closed
    u32 min_khz() const { return min_; }  // the lowest window since attach

private:
    u32 tsc_khz_ = 0, last_ = 0, min_ = 0;
    u64 window_ = 0, t0_ = 0, a0_ = 0, m0_ = 0;
    bool started_ = false;
};

} // namespace offsched
