// Entry points of the SystemC model.
#pragma once

#include <vector>

#include "backends/sim/run/job_pool.h"
#include "backends/sim/run/result.h"
#include "backends/sim/run/scenario.h"

namespace offsched::sim {

// Runs one design of the scenario in this process. SystemC elaborates once per process, so this
// may be called at most once per process; simulate() below is the reusable entry point.
DesignResult simulate_design_in_process(const Scenario& s, size_t design_index);

// Runs every design, each in a forked child so any number of runs fit in one process (tests,
// sweeps). Results come back as JSON over a pipe; order follows s.designs. Deterministic: a
// design's result depends only on its params, service config and s.seed.
// On failure of a child, returns false and sets *error.
// `parallel` designs run at once here (usable_cpus() by default), and on `remote` workers if any.
bool simulate(const Scenario& s, std::vector<DesignResult>* out, std::string* error, size_t parallel = usable_cpus(),
              RemoteWorkers* remote = nullptr);

// The pieces simulate() is made of, for callers that schedule many scenarios' designs in one
// pool (sweeps, MPI): the job body, run in a forked child, and the decoding of what it returned.
std::string design_job(const Scenario& s, size_t design_index);
bool design_job_result(const std::string& design, const JobOutcome& o, DesignResult* out, std::string* error);

} // namespace offsched::sim
