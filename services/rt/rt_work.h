// A job's work, provided by the backend: the executive stays backend-agnostic. Without an
// RtWork (Rt::set_work not called) a job is a simulated spin: it occupies the core for
// `budget` cycles of clock time, advancing across steps and preemptible by EDF/RM.
#pragma once

#include "model/types.h"

namespace offsched {

class RtWork {
public:
    // Runs one release of `job` to completion on the service core; budget is what it was given.
    virtual void run(u32 job, u64 budget_cycles) = 0;

protected:
    ~RtWork() = default;
};

} // namespace offsched
