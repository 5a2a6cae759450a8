// The online-CPU side of a service's request and completion rings (model/channels.h) in the sim,
// for whichever service declares them, as the kernel's sysfs cpuN/request and completion reader
// are for the module:
//  - posts the design's requests (Design::requests) through the service's own text form, at
//    their times, on the service core's clock;
//  - when the service takes over the timer workload (Workload::Timers), starts each of the
//    scenario's periodic timers with the request the service writes for it (periodic_request);
//  - drains the completion ring often enough that it never fills and keeps what a client
//    measures (ChannelSpec::summarize): lateness, sequence gaps, periods.
// The reader stands for the scenario itself, not an OS task: it is charged no OS time, so the
// figures are the service's own (step and relax granularity of its core).
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>

#include "backends/sim/machine/timebase.h"
#include "backends/sim/run/params.h"
#include "backends/sim/run/result.h"
#include "backends/sim/run/scenario.h"
#include "model/service.h"

namespace offsched::sim {

class ChannelClient : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(ChannelClient);
    // `periodic`: start the scenario's timers workload (the design offloads it).
    ChannelClient(sc_core::sc_module_name name, const Design& d, const Timebase& tb, Service& service, bool periodic);

    // End of run: the completions written since the last drain.
    void finish() { drain(); }
    void fill(DesignResult& r) const;

private:
    void run();
    void post_due(uint64_t now_ns);
    void drain();

    const Design& d_;
    const ChannelSpec& spec_;
    Timebase tb_;
    Service& service_;
    bool periodic_;
    bool started_ = false;
    uint64_t drain_ns_ = 0;
    std::vector<uint64_t> posted_;       // per request line: posts so far
    uint64_t requests_posted_ = 0, requests_refused_ = 0;
    uint64_t completions_ = 0, lost_ = 0, last_seq_ = 0;
    std::vector<uint64_t> errors_ns_;    // completions due after the warm-up
};

} // namespace offsched::sim
