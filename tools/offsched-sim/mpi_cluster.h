// `mpirun -np N offsched-sim SCENARIO --sweep ...`: rank 0 is offsched-sim as usual (it reads,
// resumes, prints and writes everything); ranks 1..N-1 parse the same command line, then only
// run the simulations rank 0 hands them, one at a time, each as soon as the last one finished
// (dynamic assignment: slow points do not leave ranks idle). A rank's simulation runs in a
// forked child as everywhere else, so its result is byte-identical to a local run's.
// Built only when CMake finds MPI (OFFSCHED_MPI); without it, a run under an MPI launcher with
// more than one rank refuses to start rather than run the whole sweep N times.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "backends/sim/run/job_pool.h"

namespace offsched::tools {

class MpiCluster {
public:
    // Initialises MPI only when an MPI launcher started this process with more than one rank.
    MpiCluster(int* argc, char*** argv);
    // Rank 0: tells every worker to stop. Then MPI_Finalize.
    ~MpiCluster();
    MpiCluster(const MpiCluster&) = delete;
    MpiCluster& operator=(const MpiCluster&) = delete;

    // Launched by an MPI launcher with more than one rank but built without MPI: the reason to
    // refuse (empty when all is well).
    const std::string& unusable() const { return unusable_; }
    bool is_worker() const { return rank_ > 0; }
    int ranks() const { return size_; }
    // Rank 0 with workers: the other ranks, for run_jobs (nullptr when there are none).
    sim::RemoteWorkers* workers();
    // Ranks > 0: runs the jobs rank 0 sends until it says stop; the process's exit status.
    int serve(const std::function<std::string(size_t)>& body);

    class Workers;

private:
    int rank_ = 0;
    int size_ = 1;
    bool initialised_ = false;
    std::string unusable_;
    std::unique_ptr<Workers> workers_;
};

} // namespace offsched::tools
