// The timer service's client in the sim: arms the scenario's periodic timers (timers section)
// through the service's request ring at the start, drains the completion ring often enough
// that it never fills, and turns each completion into a firing error (fired - deadline). The
// reader stands for the scenario itself, not an OS task: it is charged no OS time, so the
// figures are the service's own firing precision (step and relax granularity of its core).
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>

#include "backends/sim/run/params.h"
#include "backends/sim/run/result.h"
#include "backends/sim/machine/timebase.h"
#include "services/timer/timer.h"

namespace offsched::sim {

class TimerCompanion : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(TimerCompanion);
    TimerCompanion(sc_core::sc_module_name name, const SimParams& p, const Timebase& tb, Timer& timer);

    // End of run: the completions written since the last drain.
    void finish() { drain(); }
    void fill(DesignResult& r) const;

private:
    void run();
    void drain();

    const SimParams& p_;
    Timebase tb_;
    Timer& timer_;
    bool armed_ = false;
    uint64_t drain_ns_ = 0;
    std::vector<uint64_t> errors_ns_;
};

} // namespace offsched::sim
