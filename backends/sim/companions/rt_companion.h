// The rt service's side of a design's result: its own counters (every release since the
// start, as the OS model counts them) read into the rt rows the OS SCHED_FIFO tasks also fill.
#pragma once

#include "backends/sim/run/result.h"
#include "model/service.h"

namespace offsched::sim {

void fill_rt_result(const Service& rt_service, DesignResult& r);

} // namespace offsched::sim
