// Runs a sweep: every (point, seed, design) of the grid as its own simulation, in parallel forked
// children (-j) and on MPI ranks; each result is kept in the results directory the moment it
// finishes, so an interrupted sweep resumes; then the table, CSV, JSON and plot, identical
// whatever the parallelism and however many times the sweep was interrupted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backends/sim/run/scenario.h"
#include "tools/offsched-sim/mpi_cluster.h"
#include "tools/offsched-sim/trace_cli.h"

namespace offsched::tools {

struct SweepOptions {
    std::vector<std::string> axes; // --sweep, one per axis
    uint64_t seeds = 1;            // --seeds
    std::string results;           // --results DIR ("": the default place, removed when done)
    bool yes = false;              // --yes: run a grid above kSweepPointsAsked
    size_t jobs = 1;               // -j
    bool quiet = false;
    std::string json, csv;
    const TraceCli* trace = nullptr;
};

// Grids with more simulations than this ask for --yes: a typo in steps should not start a
// week-long run.
constexpr size_t kSweepSimulationsAsked = 2000;
// And none runs beyond this (the results would not fit one machine's memory).
constexpr size_t kSweepSimulationsMax = 10'000'000;

// The exit status (exit_codes.h). On an MPI worker rank, serves jobs instead.
int run_sweep(const sim::Scenario& scenario, const SweepOptions& o, MpiCluster& mpi);

} // namespace offsched::tools
