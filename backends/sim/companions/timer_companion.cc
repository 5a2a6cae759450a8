#include "backends/sim/companions/timer_companion.h"

#include <algorithm>

#include "backends/sim/machine/latency_summary.h"

namespace offsched::sim {

TimerCompanion::TimerCompanion(sc_core::sc_module_name name, const SimParams& p, const Timebase& tb, Service& timer)
    : sc_module(name), p_(p), tb_(tb), timer_(timer)
{
    // Half the completion ring's worth of expiries between drains (at most every 100 us).
    const uint64_t per_ring = p.timers.period_ns * timer::kCompletionRingSize / (2 * std::max<uint64_t>(1, p.timers.count));
    drain_ns_ = std::clamp<uint64_t>(per_ring, 1000, 100000);
    SC_METHOD(run);
}

void TimerCompanion::run()
{
    if (!armed_) {
        armed_ = true;
        const TimerLoadParams& t = p_.timers;
        for (uint32_t i = 0; i < t.count; ++i) {
            const uint64_t first_ns = t.offset_ns + i * t.period_ns / t.count;
            const timer::TimerRequest r{timer::kArm, i, tb_.ps_to_cycles(first_ns * 1000), tb_.ps_to_cycles(t.period_ns * 1000)};
            timer_.post_request(&r); // 256 slots, and count <= 256: always fits
        }
    }
    drain();
    next_trigger(Timebase::ns(drain_ns_));
}

void TimerCompanion::drain()
{
    const uint64_t warmup_cycles = tb_.ps_to_cycles(p_.run.warmup_ns * 1000);
    timer::TimerCompletion c;
    while (timer_.take_completion(&c))
        if (c.deadline >= warmup_cycles) errors_ns_.push_back(tb_.cycles_to_ps(c.fired - c.deadline) / 1000);
}

void TimerCompanion::fill(DesignResult& r) const
{
    fill_timer_result(r, "offsched_timer", errors_ns_);
}

} // namespace offsched::sim
