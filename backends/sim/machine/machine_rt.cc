// The timer and rt workloads of a design: each runs on the service that takes it over
// (ChannelSpec::takes_over), and otherwise as SCHED_FIFO tasks on the OS core os_rt.core
// (os_rt_tasks.h); and the client of the service's request and completion rings.
#include "backends/sim/machine/machine.h"
#include "backends/sim/machine/rt_workloads.h"

namespace offsched::sim {

void Machine::wire_rt_workloads()
{
    const bool os_timers = workload_on_os(d_, true), os_jobs = workload_on_os(d_, false);
    if (os_timers || os_jobs) {
        os_rt_ = std::make_unique<OsRtTasks>("os_rt", p_, tb_, os_timers, os_jobs);
        OsCore* core = os_core(p_.os_rt.core); // an OS core: rt_workload_problem
        os_rt_->attach(core);
        core->set_rt(os_rt_.get());
    }
    if (offload_.empty()) return;
    // Requests go to the first offload core's instance, as a client writes one CPU's request file.
    const bool timers = offloads(d_, Workload::Timers) && p_.timers.count > 0;
    if (timers || !d_.requests.empty())
        channel_client_ = std::make_unique<ChannelClient>("channel_client", d_, tb_, offload_.front()->service(), timers);
    if (offloads(d_, Workload::RtJobs)) rt_service_ = &offload_.front()->service();
}

} // namespace offsched::sim
