// One design's machine, elaborated: NIC, interrupt controller, OS cores, offload cores running
// the service, clients and flood. Built once per process (SystemC elaborates once), run for
// run.duration_ns, then read out as a DesignResult.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "backends/sim/traffic/clients.h"
#include "backends/sim/companions/rtop_companion.h"
#include "backends/sim/companions/channel_client.h"
#include "backends/sim/offload/frame_codec.h"
#include "backends/sim/offload/host_tx_port.h"
#include "backends/sim/offload/host_ring.h"
#include "backends/sim/hw/irq_controller.h"
#include "backends/sim/machine/ledger.h"
#include "backends/sim/hw/nic.h"
#include "backends/sim/offload/offload_core.h"
#include "backends/sim/os/os_core.h"
#include "backends/sim/os/os_rt_tasks.h"
#include "backends/sim/os/os_rx.h"
#include "backends/sim/run/result.h"
#include "backends/sim/hw/rss.h"
#include "backends/sim/run/scenario.h"
#include "backends/sim/offload/service_ports.h"
#include "backends/sim/os/tcp_listener.h"
#include "backends/sim/trace/run_progress.h"
#include "backends/sim/trace/trace_session.h"

namespace offsched::sim {

// Throws std::invalid_argument naming the design and field when a design cannot be built.
void check_design(const Scenario& s, size_t design_index);

class Machine : public AcceptRouter {
public:
    Machine(const Scenario& s, size_t design_index);
    ~Machine();

    // Runs the simulation to run.duration_ns (call once).
    void run();
    DesignResult result() const;

    // For tests: the parts, after run().
    const Nic& nic() const { return *nic_; }
    Nic& nic() { return *nic_; }
    IrqController& irqc() { return *irqc_; }
    const Ledger& ledger() const { return ledger_; }
    OsCore* os_core(uint32_t core) const; // null for an offloaded core
    const Listener& listener() const { return *listener_; }
    const ServiceTally& tally() const { return tally_; }
    const std::vector<std::unique_ptr<OffloadCore>>& offload_cores() const { return offload_; }

private:
    void enqueue_accept(uint32_t conn, uint32_t from_core) override;
    void wire_traffic(uint64_t seed);
    void book_service_fates();
    void fill_rx(DesignResult& r) const;

    const Design& d_;
    const SimParams& p_;
    Timebase tb_;
    Ledger ledger_;
    ServiceTally tally_;
    Rss rss_;
    std::vector<CoreUsage> usage_;
    std::unique_ptr<IrqController> irqc_;
    std::unique_ptr<Nic> nic_;
    std::unique_ptr<Clients> clients_;
    std::unique_ptr<MachineWire> wire_;            // the host's segments to clients (direct or via host_tx_)
    std::vector<std::unique_ptr<SimHostTx>> host_tx_; // per offload core, when the service needs them
    std::unique_ptr<Listener> listener_;
    std::unique_ptr<OsRx> rx_;
    std::unique_ptr<FrameCodec> codec_;
    std::vector<std::unique_ptr<HostRing>> rings_;
    std::unique_ptr<SimHostPath> host_;
    std::vector<std::unique_ptr<SimNicQueue>> nic_queues_;
    std::vector<std::unique_ptr<OsCore>> os_;         // by position in os_ids_
    std::vector<std::unique_ptr<OffloadCore>> offload_;
    std::vector<uint32_t> os_ids_, sshd_ids_;
    std::vector<int> os_index_;                       // core -> index in os_, or -1
    uint64_t end_ps_ = 0;
    bool ran_ = false;
    std::unique_ptr<trace::TraceSession> trace_; // --trace/--vcd/--plot of this run (built before sc_start)
    // The timer and rt workloads: on the OS (SCHED_FIFO tasks on os_rt.core) unless the design
    // offloads their service (machine_rt.cc).
    void wire_rt_workloads();
    std::unique_ptr<OsRtTasks> os_rt_;
    std::unique_ptr<ChannelClient> channel_client_;
    Service* rt_service_ = nullptr;
    // rtop: its own port when the NIC stays with the OS, its OS-side publisher (or, without the
    // service, a user-space agent) and the admin's observer (companions/rtop_machine.cc).
    SimNicQueue* rtop_port();
    void wire_rtop();
    std::unique_ptr<Nic> rtop_nic_;
    std::unique_ptr<SimNicQueue> rtop_queue_;
    std::unique_ptr<RtopCompanion> rtop_;
};

} // namespace offsched::sim
