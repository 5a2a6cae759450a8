// Where a design's timer and rt workloads run, and what makes a design unable to run them. The
// scenario loader reports a problem at the file's line; Machine refuses to build such a design.
#pragma once

#include <string>

#include "backends/sim/run/scenario.h"
#include "model/channels.h"

namespace offsched::sim {

// True when the design offloads a service that runs workload w in the OS's place (its kind's
// ChannelSpec::takes_over).
bool offloads(const Design& d, Workload w);
// True when the timers (timers = true) or the rt job set run on the OS as SCHED_FIFO tasks.
bool workload_on_os(const Design& d, bool timers);

struct DesignProblem {
    std::string field;   // dotted parameter within the design ("offload.idle_skip"); empty: none
    std::string message;
    bool ok() const { return field.empty(); }
};
DesignProblem rt_workload_problem(const Design& d);

} // namespace offsched::sim
