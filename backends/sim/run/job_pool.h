// Runs many simulation jobs as forked children, up to `parallel` at a time on this machine and,
// when a cluster is attached (MPI ranks, behind RemoteWorkers), on other machines too. A job is
// a function of its index whose text result comes back to the parent; results are handed over
// as they finish, in whatever order, so callers store them by index and stay deterministic.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace offsched::sim {

// A finished job, wherever it ran.
struct JobOutcome {
    size_t job = 0;
    bool ok = false;     // the child exited 0 with a result
    std::string text;    // what the job returned (when ok)
    std::string failure; // "exit status 3", "killed by signal 9 (Killed)", "rank 2 died" (when !ok)
    int remote_worker = -1; // which RemoteWorkers worker ran it; -1: a child of this process
};

// Other processes that run jobs (an MPI communicator's ranks). The pool calls only these, from
// the parent's one thread.
class RemoteWorkers {
public:
    virtual ~RemoteWorkers() = default;
    virtual size_t count() const = 0;
    // Hands `job` to idle worker `worker`.
    virtual void start(size_t worker, size_t job) = 0;
    // A finished remote job, if one arrived (does not block). *worker is idle again.
    virtual bool poll(size_t* worker, JobOutcome* out) = 0;
};

struct JobPoolOptions {
    size_t parallel = 1;            // local children at once (0: none, everything remote)
    RemoteWorkers* remote = nullptr; // optional
};

// Runs every job in `todo` (indices into the caller's job list) with body(job) in a forked child.
// on_done is called in this process for each finished job; when it returns false (the caller
// gives up: a simulation failed, an output cannot be written) no new job starts, the running
// ones are still reaped and handed over, and run_jobs returns false. *error says why a job could
// not even start (fork failed).
bool run_jobs(const std::vector<size_t>& todo, const std::function<std::string(size_t)>& body, const JobPoolOptions& options,
              const std::function<bool(const JobOutcome&)>& on_done, std::string* error);

// The CPUs this process may run on (its affinity mask), at least 1: the default for `parallel`.
size_t usable_cpus();

} // namespace offsched::sim
