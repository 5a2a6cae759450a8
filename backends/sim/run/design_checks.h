// Checks across a design's parameters that no single field's range can express. The scenario
// loader runs them at load time to name the field, its file and line (or the command line);
// the machine runs them again before elaborating, for designs built in code.
#pragma once

#include "backends/sim/machine/rt_workloads.h"
#include "backends/sim/run/scenario.h"

namespace offsched::sim {

// The first problem of d's parameters (field: dotted, e.g. "run.duration_ns"), or none.
DesignProblem parameter_problem(const Design& d);

} // namespace offsched::sim
