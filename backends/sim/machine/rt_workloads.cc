// Where a design's timer and rt workloads run and what keeps a design from running them: plain
// functions of the design (no SystemC), for the scenario loader and the machine alike.
#include "backends/sim/machine/rt_workloads.h"

#include <algorithm>

#include <fmt/format.h>

namespace offsched::sim {

bool offloads(const Design& d, Workload w)
{
    return d.kind == DesignKind::Offsched && d.service && d.service->channels.takes_over == w;
}

bool workload_on_os(const Design& d, bool timers)
{
    return timers ? d.params.timers.count > 0 && !offloads(d, Workload::Timers)
                  : d.params.rt_tasks.job_count > 0 && !offloads(d, Workload::RtJobs);
}

DesignProblem rt_workload_problem(const Design& d)
{
    const SimParams& p = d.params;
    if (d.kind == DesignKind::Offsched && !p.offload.owns_nic && p.offload.idle_skip)
        return {"offload.idle_skip", "sleeps until a frame arrives, but with offload.owns_nic = 0 the service gets none: set it to 0"};
    if (workload_on_os(d, true) || workload_on_os(d, false)) {
        const uint32_t c = p.os_rt.core;
        if (c >= p.machine.cores) return {"os_rt.core", fmt::format("core {} does not exist (machine.cores is {})", c, p.machine.cores)};
        if (d.kind == DesignKind::Offsched && std::find(d.offload_cores.begin(), d.offload_cores.end(), c) != d.offload_cores.end())
            return {"os_rt.core", fmt::format("core {} is offloaded; the SCHED_FIFO tasks need an OS core", c)};
    }
    if (offloads(d, Workload::Timers) && p.timers.count > 0) {
        const ChannelSpec& c = d.service->channels;
        if (!c.periodic_request || !c.request_bytes)
            return {"service", fmt::format("the {} service takes over timers but starts none (no periodic_request)", d.service->name)};
        PeriodicLimits lim{~0u, 0, "", ""};
        if (c.periodic_limits) c.periodic_limits(d.service_config.data(), &lim);
        if (p.timers.count > lim.max_count)
            return {"timers.count", fmt::format("{} timers, but the {} service's {} is {}", p.timers.count, d.service->name,
                                                lim.count_field, lim.max_count)};
        if (p.timers.period_ns < lim.min_period_ns)
            return {"timers.period_ns", fmt::format("below the {} service's {} ({})", d.service->name, lim.period_field,
                                                    lim.min_period_ns)};
    }
    return {};
}

} // namespace offsched::sim
