#include "backends/sim/os/os_rt_tasks.h"

#include <algorithm>

#include "backends/sim/machine/latency_summary.h"

namespace offsched::sim {

OsRtTasks::OsRtTasks(sc_core::sc_module_name name, const SimParams& p, const Timebase& tb, bool with_timers, bool with_jobs)
    : sc_module(name), p_(p), tb_(tb)
{
    const auto cycles_of = [&](uint64_t ns) { return ns * tb.freq_mhz / 1000; };
    if (with_timers) {
        const TimerLoadParams& t = p.timers;
        for (uint32_t i = 0; i < t.count; ++i) {
            Task k;
            k.timer = true;
            k.period = t.period_ns * 1000;
            k.deadline = k.period;
            k.budget = t.task_cycles;
            k.next_release = (t.offset_ns + i * t.period_ns / t.count) * 1000;
            tasks_.push_back(k);
        }
    }
    if (with_jobs) {
        for (uint32_t i = 0; i < p.rt_tasks.job_count; ++i) {
            const rt::Job& j = p.rt_tasks.jobs[i];
            Task k;
            k.period = j.period_ns * 1000;
            k.deadline = (j.deadline_ns ? j.deadline_ns : j.period_ns) * 1000;
            k.budget = cycles_of(j.budget_ns);
            k.next_release = j.offset_ns * 1000;
            tasks_.push_back(k);
        }
    }
    for (Task& k : tasks_)
        if (k.budget == 0) k.budget = 1; // every activity takes time
    SC_METHOD(clockevent);
}

uint64_t OsRtTasks::earliest_release() const
{
    uint64_t e = ~0ull;
    for (const Task& t : tasks_) e = std::min(e, t.next_release);
    return e;
}

// The clockevent device: programmed to the earliest expiry, it raises one interrupt, and
// hrtimer_interrupt reprograms it (as hrtimer_interrupt -> tick_program_event).
void OsRtTasks::clockevent()
{
    const uint64_t now = now_ps(), e = earliest_release();
    if (!in_flight_ && e <= now && core_) {
        in_flight_ = true;
        core_->deliver({IrqKind::Hrtimer, 0});
    }
    if (in_flight_ || e == ~0ull) next_trigger(reprogram_);
    else next_trigger(Timebase::ps(e - now), reprogram_);
}

void OsRtTasks::count_miss(Task& t)
{
    if (t.miss_counted || t.timer) return;
    t.miss_counted = true;
    ++misses_;
}

void OsRtTasks::release(Task& t, uint64_t now)
{
    if (t.active && !t.timer) { // the previous release is abandoned (deadline <= period: late too)
        ++overruns_;
        count_miss(t);
    }
    // The latest period boundary not after now (periods already past are skipped, as the rt service does).
    t.release_now(now);
    t.started = false;
    if (!t.timer) ++releases_;
}

uint64_t OsRtTasks::hrtimer_interrupt(uint64_t now)
{
    in_flight_ = false;
    uint64_t woken = 0;
    for (Task& t : tasks_)
        if (t.next_release <= now) {
            release(t, now);
            ++woken;
        }
    reprogram_.notify(sc_core::SC_ZERO_TIME);
    return p_.os_rt.hrtimer_irq_cycles + woken * p_.os_rt.wakeup_cycles;
}

// Fixed priorities: timer tasks (cyclictest runs at the top priority) in index order, then the
// job set by the scenario's policy (rm: shorter period first; edf: earlier absolute deadline).
int OsRtTasks::pick() const
{
    return rt::pick_first(
        static_cast<u32>(tasks_.size()), [&](u32 i) { return tasks_[i].active; },
        [&](u32 i, u32 b) {
            const Task &t = tasks_[i], &c = tasks_[b];
            return !c.timer && (t.timer || rt::runs_before(p_.rt_tasks.policy, t.abs_deadline, t.period, c.abs_deadline, c.period));
        });
}

OsRtTasks::Action OsRtTasks::next(uint64_t now)
{
    const int best = pick();
    if (best < 0 && on_cpu_ < 0) return {};
    if (best != on_cpu_) { // to the RT task, between RT tasks, or back to the CFS task / idle
        on_cpu_ = best;
        return {Action::Kind::Switch, p_.os.context_switch_cycles};
    }
    Task& t = tasks_[best];
    if (!t.started) {
        t.started = true; // clock_nanosleep returns here: cyclictest reads the clock now
        if (t.timer && t.release >= p_.run.warmup_ns * 1000) timer_errors_ns_.push_back((now - t.release) / 1000);
    }
    return {Action::Kind::Run, t.remaining};
}

void OsRtTasks::ran(uint64_t cycles, uint64_t now)
{
    if (on_cpu_ < 0) return;
    Task& t = tasks_[on_cpu_];
    if (!t.active) return;
    t.remaining -= std::min(cycles, t.remaining);
    if (t.remaining == 0) complete(t, now);
}

void OsRtTasks::complete(Task& t, uint64_t now)
{
    t.active = false;
    if (t.timer) return;
    max_response_ps_ = std::max(max_response_ps_, now - t.release);
    if (now > t.abs_deadline) count_miss(t);
}

void OsRtTasks::finish(uint64_t end_ps)
{
    for (Task& t : tasks_)
        if (t.active && end_ps > t.abs_deadline) count_miss(t);
}

void OsRtTasks::fill(DesignResult& r) const
{
    if (std::any_of(tasks_.begin(), tasks_.end(), [](const Task& t) { return t.timer; }))
        fill_timer_result(r, "os_hrtimer", timer_errors_ns_);
    if (std::any_of(tasks_.begin(), tasks_.end(), [](const Task& t) { return !t.timer; })) {
        r.rt_path = "os_sched_fifo";
        r.rt_releases = releases_;
        r.rt_deadline_misses = misses_;
        r.rt_overruns = overruns_;
        r.rt_max_response_ns = max_response_ps_ / 1000;
    }
}

} // namespace offsched::sim
