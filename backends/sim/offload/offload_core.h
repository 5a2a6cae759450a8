// A core taken out of the OS: no interrupts, no tasks, only the backend loop
//     while (running) { r = svc.step(budget); if (r.idle()) core.relax(); }
// Each step's report is charged in cycles (per step, per packet, per work unit, per doorbell);
// an idle step costs one relax_ns poll.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "backends/sim/offload/host_tx_port.h"
#include "backends/sim/run/params.h"
#include "backends/sim/run/result.h"
#include "backends/sim/run/scenario.h"
#include "backends/sim/offload/service_ports.h"
#include "services/registry.h"

namespace offsched::sim {

class OffloadCore : public sc_core::sc_module {
public:
    struct Env {
        const SimParams* p = nullptr;
        Timebase tb;
        const ServiceKind* kind = nullptr;
        const std::vector<uint8_t>* config = nullptr; // the config blob (model/service.h), checked
        const std::vector<ConfigReload>* reloads = nullptr; // taken at the first step at or after each time
        std::vector<SimNicQueue*> queues;
        SimHostPath* host = nullptr;
        SimHostTx* host_tx = nullptr; // the host's frames, when the service needs them
        CoreUsage* usage = nullptr;
    };

    SC_HAS_PROCESS(OffloadCore);
    OffloadCore(sc_core::sc_module_name name, uint32_t id, const Env& env);
    ~OffloadCore() override;

    Service& service() { return *svc_; }
    uint64_t steps() const { return steps_; }
    void finish(uint64_t end_ps);

private:
    void run();
    uint64_t idle_until_ps(uint64_t now, uint64_t relax_ps) const;
    bool may_run_ahead(uint64_t sc_now, uint64_t at) const;

    uint32_t id_;
    Env env_;
    StepTime time_;
    SimClock clock_;
    std::vector<NicQueue*> queues_; // env_.queues as the service sees them
    SimCore core_;
    std::unique_ptr<unsigned char[]> storage_;
    std::unique_ptr<uint64_t[]> arena_; // ServiceNeeds::arena_bytes, zeroed
    Service* svc_ = nullptr;
    uint64_t steps_ = 0;
    size_t next_reload_ = 0;
    uint64_t busy_end_ps_ = 0;
    uint64_t step_work_ = 0, step_idle_ = 0; // the last step's split, for a partial step at the end
    sc_core::sc_event_or_list injected_;     // legit packets scheduled onto our queues
    bool sleeping_ = false;
    uint64_t sleep_start_ps_ = 0;
};

} // namespace offsched::sim
