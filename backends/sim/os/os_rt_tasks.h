// SCHED_FIFO periodic tasks on one OS core, woken by hrtimers: the stock path the timer and rt
// services are compared with. Each task sleeps in clock_nanosleep(TIMER_ABSTIME) until its next
// release; the expiry is a local APIC timer hardirq (IrqKind::Hrtimer) running hrtimer_interrupt,
// which wakes every task that is due. What delays a task, as on Linux:
//   - the hrtimer interrupt is not taken while the core is in a hardirq (irqs off);
//   - softirq work that runs on irq exit (__do_softirq, up to MAX_SOFTIRQ_TIME) and a
//     __do_softirq already running in ksoftirqd finish first: neither is preemptible by a task;
//   - then a context switch; ksoftirqd and sshd are CFS tasks, which an RT task preempts.
// A running task is interrupted by hardirqs and by the softirqs on their exit, never by CFS tasks.
// Timer tasks (cyclictest-like, priority above the job set) record their start latency, the
// firing error; job-set tasks run `budget` cycles per release and count misses and overruns the
// way the rt service does (a release still unfinished at the next one is abandoned).
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>

#include "backends/sim/hw/irq_controller.h"
#include "backends/sim/run/params.h"
#include "backends/sim/run/result.h"
#include "backends/sim/machine/timebase.h"
#include "services/rt/rt_order.h"

namespace offsched::sim {

class OsRtTasks : public sc_core::sc_module {
public:
    // What the RT scheduling class asks of the core at a scheduling point.
    struct Action {
        enum class Kind : uint8_t { None, Switch, Run } kind = Kind::None;
        uint64_t cycles = 0; // Switch: a context switch (not interruptible); Run: task work (interruptible)
    };

    SC_HAS_PROCESS(OsRtTasks);
    // with_timers / with_jobs: which of p.timers and p.rt_tasks run here (not on a service).
    OsRtTasks(sc_core::sc_module_name name, const SimParams& p, const Timebase& tb, bool with_timers, bool with_jobs);

    bool empty() const { return tasks_.empty(); }
    void attach(IrqTarget* core) { core_ = core; }
    // The Hrtimer hardirq's handler: wakes every task due by now; returns the handler's cycles.
    uint64_t hrtimer_interrupt(uint64_t now_ps);
    // At a scheduling point (no hardirq pending, no softirq running): switch, run, or nothing.
    Action next(uint64_t now_ps);
    // The task last returned by next() ran `cycles` until now (finished or interrupted).
    void ran(uint64_t cycles, uint64_t now_ps);
    // End of run: unfinished releases already past their deadline count as misses.
    void finish(uint64_t end_ps);
    void fill(DesignResult& r) const;

private:
    struct Task : rt::JobTimes<uint64_t> { // times in ps, budget in cycles
        bool timer = false;   // cyclictest-like: its start latency is the firing error
        bool started = false; // ran since its release
    };

    void clockevent();
    void release(Task& t, uint64_t now_ps);
    void complete(Task& t, uint64_t now_ps);
    void count_miss(Task& t);
    int pick() const;
    uint64_t earliest_release() const;

    const SimParams& p_;
    Timebase tb_;
    IrqTarget* core_ = nullptr;
    std::vector<Task> tasks_; // timer tasks first (higher priority), then the job set
    int on_cpu_ = -1;         // task whose context is loaded; -1: the CFS task or idle
    bool in_flight_ = false;  // an Hrtimer interrupt is raised and not yet handled
    sc_core::sc_event reprogram_;
    std::vector<uint64_t> timer_errors_ns_;
    uint64_t releases_ = 0, misses_ = 0, overruns_ = 0, max_response_ps_ = 0;
};

} // namespace offsched::sim
