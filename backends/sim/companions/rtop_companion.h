// rtop's OS-side partner and the admin at the other end of the wire.
//  - publisher (a design running the rtop service): as offsched.ko's companion work
//    (backends/kernel/service_companion.c), every os_stats.publish_ns an OS core reads the
//    per-core accounting and publishes it into the service's seqlock (services/rtop/
//    os_stats_shared.h). It is a kworker, i.e. a SCHED_OTHER task: it runs as user work of
//    os_stats.core (OsCore::enqueue_user_work), so under a flood it waits for ksoftirqd like sshd
//    does and its samples go stale; the service's datagrams then show that as the sample's age.
//  - agent (no rtop service, os_stats.agent_ns > 0): the stock way to watch a host, a user-space
//    agent on os_stats.core that reads the same figures and sends the same report over UDP.
//  - observer: the admin's offsched-rtop (lib/rtop/collector.h, the same decoding
//    path) receiving the service's datagrams from its NIC queue (TxTap) or the agent's reports,
//    one_way_ns later. Its view ends up in DesignResult::rtop.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>

#include "backends/sim/os/os_core.h"
#include "backends/sim/run/params.h"
#include "backends/sim/run/result.h"
#include "backends/sim/offload/service_ports.h"
#include "backends/sim/machine/timebase.h"
#include "model/os_stats.h"
#include "lib/rtop/collector.h"

namespace offsched::sim {

class RtopCompanion : public sc_core::sc_module, public TxTap {
public:
    struct Env {
        const SimParams* p = nullptr;
        Timebase tb;
        const std::vector<CoreUsage>* usage = nullptr; // every machine core's accounting
        std::vector<OsCore*> os_by_core;               // machine core -> OS core (null: offloaded)
        OsStatsPage* shared = nullptr;         // the service's seqlock; null: agent mode
        uint16_t port = 7171;                          // UDP port the admin listens on
        bool observe = true;                           // false: publish only (a service that reads the page but streams no rtop datagrams)
        uint64_t interval_ns = 0;                      // how often the admin expects a sample
    };

    SC_HAS_PROCESS(RtopCompanion);
    RtopCompanion(sc_core::sc_module_name name, const Env& env);

    // The service's transmitted frames: the UDP ones to the admin's port are received.
    bool take(const Frame& f, uint64_t now_ns) override;
    // The admin's view after a run that ended at r.sim_ns.
    void fill(DesignResult& r) const;

private:
    void due();                       // the publisher's or the agent's timer expired
    void ran(uint64_t due_ns, uint64_t now_ns);
    OsStats snapshot(uint64_t now_ns);
    void send_agent_report(const OsStats& s, uint64_t now_ns);
    void receive(const uint8_t* payload, size_t len, uint64_t at_ns);

    Env env_;
    OsCore* os_ = nullptr;
    uint64_t period_ns_ = 0, run_cycles_ = 0;
    sc_core::sc_event due_ev_;
    bool started_ = false;
    // Publisher or agent runs: how late they ran after their timer (scheduling delay + run).
    static constexpr uint64_t kNone = ~0ull;
    uint64_t runs_ = 0, max_delay_ns_ = 0, pending_due_ns_ = kNone;
    uint32_t agent_seq_ = 0, agent_datagrams_ = 0;
    std::vector<uint64_t> idle_ns_; // per core, as last reported
    // The admin's side.
    rtop_view::Collector collector_;
    uint64_t window_start_ns_ = 0;   // run.warmup_ns: gaps and ages count from here
    uint64_t last_arrival_ns_ = 0;   // in the window
    uint64_t max_gap_ns_ = 0, samples_in_window_ = 0, max_age_ns_ = 0, max_unchanged_ns_ = 0;
};

} // namespace offsched::sim
