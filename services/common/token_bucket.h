// Token bucket in integer clock cycles, exact to the cycle: with a clock of f Hz and a rate of
// R tokens/s, one token accrues every f/R cycles with no rounding drift, because credit is kept
// in units of 1/f token-seconds (a token costs f units, each cycle adds R units).
#pragma once

#include "model/types.h"

namespace offsched {

struct TokenBucketParams {
    u64 unit = 0;       // credit one token costs: the clock frequency in Hz
    u64 cap = 0;        // burst * unit
    u64 rate = 0;       // tokens per second == credit added per cycle
    u64 full_after = 0; // cycles after which an empty bucket is full (avoids dt * rate overflow)

    // burst >= 1 and rate >= 1 are the caller's validate() job; khz as Clock::khz().
    void init(u32 rate_per_s, u32 burst, u32 khz)
    {
        unit = static_cast<u64>(khz) * 1000u;
        cap = static_cast<u64>(burst) * unit;
        rate = rate_per_s;
        full_after = rate ? cap / rate + 1 : ~0ull;
    }
};

struct TokenBucket {
    u64 credit = 0;
    u64 last = 0; // cycles at the last refill

    void fill(const TokenBucketParams& p, u64 now)
    {
        credit = p.cap;
        last = now;
    }
    // Refills for the cycles since the last call, then takes one token if there is one.
    bool take(const TokenBucketParams& p, u64 now)
    {
        const u64 dt = now > last ? now - last : 0;
        if (dt >= p.full_after) credit = p.cap;
        else {
            credit += dt * p.rate;
            if (credit > p.cap) credit = p.cap;
        }
        last = now;
        if (credit < p.unit) return false;
        credit -= p.unit;
        return true;
    }
};

} // namespace offsched
