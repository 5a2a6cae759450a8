// Entry points of the SystemC model.
#pragma once

#include <vector>

#include "backends/sim/result.h"
#include "backends/sim/scenario.h"

namespace offsched::sim {

// Runs one design of the scenario in this process. SystemC elaborates once per process, so this
// may be called at most once per process; simulate() below is the reusable entry point.
DesignResult simulate_design_in_process(const Scenario& s, size_t design_index);

// Runs every design, each in a forked child so any number of runs fit in one process (tests,
// sweeps). Results come back as JSON over a pipe; order follows s.designs. Deterministic: a
// design's result depends only on its params, service config and s.seed.
// On failure of a child, returns false and sets *error.
bool simulate(const Scenario& s, std::vector<DesignResult>* out, std::string* error);

} // namespace offsched::sim
