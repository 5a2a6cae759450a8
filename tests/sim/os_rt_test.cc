// The OS SCHED_FIFO/hrtimer model (os_rt_tasks.cc) on a quiet core, where every figure follows
// from the cost parameters exactly: a timer task's error is hrtimer_irq + wakeup + one context
// switch; a job's response adds its budget; the policy decides which of two simultaneous
// releases runs first, and so which one misses.
#include "backends/sim/machine/timebase.h"
#include "tests/sim/sim_fixture.h"

using namespace simtest;

namespace {

// No traffic at all: only the tick and the RT tasks use core 1.
SimParams quiet(uint64_t duration_ns)
{
    SimParams p = short_params(duration_ns, 0, 1000000, 0);
    p.legit.connect_rate = 0;
    p.background.rate_pps = 0;
    return p;
}

uint64_t ps(const SimParams& p, uint64_t cycles) { return Timebase{p.machine.freq_mhz}.cycles_to_ps(cycles); }

// The hrtimer hardirq waking `woken` tasks, then the switch to the first: ps.
uint64_t wake_ps(const SimParams& p, uint32_t woken)
{
    return ps(p, p.os_rt.hrtimer_irq_cycles + uint64_t{woken} * p.os_rt.wakeup_cycles) + ps(p, p.os.context_switch_cycles);
}

void add_job(SimParams& p, uint64_t period_ns, uint64_t budget_ns, uint64_t deadline_ns, uint64_t offset_ns)
{
    p.rt_tasks.jobs[p.rt_tasks.job_count++] = rt::Job{period_ns, budget_ns, deadline_ns, offset_ns};
}

} // namespace

TEST_CASE("os_rt: on a quiet core a timer task's error is exactly hrtimer_irq + wakeup + context switch")
{
    SimParams p = quiet(50000000);
    p.timers.count = 2;
    p.timers.period_ns = 997000; // drifts against the 4 ms tick: no expiry lands behind one here
    const auto r = run({baseline(p, "linux")});
    CHECK(r[0].timer_path == "os_hrtimer");
    CHECK(r[0].timer_samples >= 90);
    CHECK(r[0].timer_err_p50_ns == wake_ps(p, 1) / 1000);
    CHECK(r[0].timer_err_max_ns == wake_ps(p, 1) / 1000);
}

TEST_CASE("os_rt: a lone job responds in its wake-up path plus its budget")
{
    SimParams p = quiet(20000000);
    add_job(p, 1000000, 100000, 0, 100000); // runs 100-203 us after each ms: never under the tick
    const auto r = run({baseline(p, "linux")});
    CHECK(r[0].rt_path == "os_sched_fifo");
    CHECK(r[0].rt_releases == 20);
    CHECK(r[0].rt_deadline_misses == 0);
    CHECK(r[0].rt_max_response_ns == (wake_ps(p, 1) + 100000 * 1000) / 1000);
}

TEST_CASE("os_rt: rate monotonic runs the shorter period first, EDF the earlier deadline")
{
    // Released together: A (1 ms, 100 us) and B (2 ms, 300 us, due 350 us after release).
    // RM runs A first and B ends ~405 us after release: every B misses. EDF runs B first: none.
    SimParams p = quiet(20000000);
    add_job(p, 1000000, 100000, 0, 100000);
    add_job(p, 2000000, 300000, 350000, 100000);
    p.rt_tasks.policy = rt::kRateMonotonic;
    SimParams edf = p;
    edf.rt_tasks.policy = rt::kEdf;
    const auto r = run({baseline(p, "rm"), baseline(edf, "edf")});
    CHECK(r[0].rt_releases == 20 + 10);
    CHECK(r[0].rt_deadline_misses == 10);
    CHECK(r[1].rt_deadline_misses == 0);
    // EDF: A waits behind B, one more switch between them.
    CHECK(r[1].rt_max_response_ns == (wake_ps(p, 2) + ps(p, p.os.context_switch_cycles) + 400000 * 1000) / 1000);
}
