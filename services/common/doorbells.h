// Coalesced doorbells: remember which OS cpus received frames during a step, then ring each of
// them once (a doorbell costs an IPI-like event on the OS side).
#pragma once

#include "model/host_path.h"

namespace offsched {

class DoorbellSet {
public:
    static constexpr u32 kMaxCpus = 256;

    void mark(u32 cpu) { mask_[cpu / 64] |= 1ull << (cpu % 64); }
    // Rings every marked cpu once, clears the set, returns how many were rung.
    u32 ring(HostPath* host)
    {
        u32 n = 0;
        for (u32 w = 0; w < kMaxCpus / 64; ++w) {
            for (u64 m = mask_[w]; m; m &= m - 1) {
                host->doorbell(w * 64 + static_cast<u32>(__builtin_ctzll(m)));
                ++n;
            }
            mask_[w] = 0;
        }
        return n;
    }

private:
    u64 mask_[kMaxCpus / 64] = {};
};

// OS cpus a service may steer to: the host's count, capped at DoorbellSet::kMaxCpus.
inline u32 steerable_cpus(const HostPath* host)
{
    const u32 n = host ? host->os_cpus() : 0;
    return n < DoorbellSet::kMaxCpus ? n : DoorbellSet::kMaxCpus;
}

} // namespace offsched
