// The rt rows of a design's result from the service that takes the rt jobs over
// (Workload::RtJobs): the counters it reports under the names model/channels.h's kRtJobsStats
// gives them (every release since the start, as the OS model's SCHED_FIFO tasks count them).
#pragma once

#include "backends/sim/run/result.h"
#include "model/service.h"

namespace offsched::sim {

void fill_rt_jobs_result(const Service& service, DesignResult& r);

} // namespace offsched::sim
