// The RT scheduling class on an OS core: OsRtTasks decides (switch to a task, run it, or
// nothing), the core turns that into time. Reached only at a scheduling point: no hardirq
// pending and no __do_softirq running, which is why softirq work delays an RT task.
#include "backends/sim/os/os_core.h"
#include "backends/sim/os/os_rt_tasks.h"
#include "backends/sim/trace/trace_sink.h"

namespace offsched::sim {

namespace {
// The trace's name for this time: the tasks' scheduling policy (the rt service is another thing).
constexpr const char* kFifoLabel = "sched_fifo";
} // namespace

bool OsCore::rt_dispatch(uint64_t now)
{
    const OsRtTasks::Action a = rt_->next(now);
    switch (a.kind) {
    case OsRtTasks::Action::Kind::None:
        return false;
    case OsRtTasks::Action::Kind::Switch:
        ++st_.context_switches;
        chunk(CpuMode::User, a.cycles, kFifoLabel);
        return true;
    case OsRtTasks::Action::Kind::Run: {
        // Like a CFS task's work: interruptible by any hardirq (irq_ev_), booked when it ends.
        act_ = Act::RtRun;
        trace::current().core_mode(now / 1000, id_, CpuMode::User, kFifoLabel);
        rt_run_cycles_ = a.cycles ? a.cycles : 1;
        run_start_ps_ = now;
        const uint64_t ps = env_.tb.cycles_to_ps(rt_run_cycles_);
        planned_end_ps_ = now + (ps ? ps : 1);
        next_trigger(Timebase::ps(planned_end_ps_ - now), irq_ev_);
        return true;
    }
    }
    return false;
}

void OsCore::end_rt_run(uint64_t now)
{
    act_ = Act::Start;
    uint64_t done = now >= planned_end_ps_ ? rt_run_cycles_ : env_.tb.ps_to_cycles(now - run_start_ps_);
    if (done > rt_run_cycles_) done = rt_run_cycles_;
    env_.usage->cycles[static_cast<uint32_t>(CpuMode::User)] += done;
    rt_->ran(done, now);
}

} // namespace offsched::sim
