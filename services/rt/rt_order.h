// Which of two ready jobs runs first: under EDF the one with the earlier absolute deadline, under
// RM the one with the shorter period (on a tie the job already chosen keeps the CPU). One rule
// for the rt service and for the sim's SCHED_FIFO model of the same job set, so the two
// cannot disagree on the order they are compared by.
#pragma once

#include "services/rt/rt_config.h"

namespace offsched::rt {

template <typename T> constexpr bool runs_before(u32 policy, T abs_deadline, T period, T other_abs_deadline, T other_period)
{
    return policy == kEdf ? abs_deadline < other_abs_deadline : period < other_period;
}

// One periodic job as the rt service (times in cycles) and the sim's SCHED_FIFO model (times in
// ps) both keep it: its parameters, its current release, what remains of its budget (in cycles).
template <typename T> struct JobTimes {
    T period = 0, deadline = 0, budget = 0; // deadline: relative to the release
    T next_release = 0, release = 0, abs_deadline = 0;
    T remaining = 0;
    bool active = false, miss_counted = false;

    // Released at `now`: at the latest period boundary not after it (the boundaries already past
    // are skipped, not released in a burst). Returns how many were skipped.
    constexpr T release_now(T now)
    {
        const T k = (now - next_release) / period;
        release = next_release + k * period;
        next_release = release + period;
        abs_deadline = release + deadline;
        remaining = budget;
        active = true;
        miss_counted = false;
        return k;
    }
};

// The index in [0, n) of the ready job that runs first, or -1 when none is ready: ready(i) says
// whether job i may run, before(i, best) whether it runs before the one chosen so far (so the
// lowest index wins a tie).
template <typename Ready, typename Before> constexpr i32 pick_first(u32 n, Ready ready, Before before)
{
    i32 best = -1;
    for (u32 i = 0; i < n; ++i) {
        if (!ready(i)) continue;
        if (best < 0 || before(i, static_cast<u32>(best))) best = static_cast<i32>(i);
    }
    return best;
}

} // namespace offsched::rt
