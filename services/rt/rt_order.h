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

} // namespace offsched::rt
