// The timers' client in the sim, for a service that takes over the timer workload
// (Workload::Timers): arms the scenario's periodic timers (timers section) through the
// service's request channel at the start (records in the timer ABI, as a user-space client
// writes them), drains its completion channel often enough
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
#include "model/service.h"
#include "services/timer/timer_abi.h"

namespace offsched::sim {

class TimerCompanion : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(TimerCompanion);
    TimerCompanion(sc_core::sc_module_name name, const SimParams& p, const Timebase& tb, Service& timer);

    // End of run: the completions written since the last drain.
    void finish() { drain(); }
    void fill(DesignResult& r) const;

private:
    void run();
    void drain();

    const SimParams& p_;
    Timebase tb_;
    Service& timer_;
    bool armed_ = false;
    uint64_t drain_ns_ = 0;
    std::vector<uint64_t> errors_ns_;
};

} // namespace offsched::sim
