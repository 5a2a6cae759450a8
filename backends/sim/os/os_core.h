// One core running the OS: hardirqs (NIC vectors, doorbell IPIs, the tick), NET_RX softirq with
// NAPI polls and __do_softirq's restart/time limits, ksoftirqd, and a CFS-like choice between
// ksoftirqd and an sshd worker. Work is simulated in chunks (one hardirq, one NAPI poll of up to
// 64 packets, one context switch); user and idle time are interruptible.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include <systemc>

#include "backends/sim/traffic/clients.h"
#include "backends/sim/offload/host_ring.h"
#include "backends/sim/hw/irq_controller.h"
#include "backends/sim/hw/nic.h"
#include "backends/sim/os/os_gro.h"
#include "backends/sim/os/os_rx.h"
#include "backends/sim/run/params.h"
#include "backends/sim/run/result.h"
#include "backends/sim/os/rx_mode.h"
#include "backends/sim/os/tcp_listener.h"
#include "backends/sim/machine/timebase.h"

namespace offsched::sim {

class OsRtTasks;

struct OsCoreStats {
    uint64_t hardirqs = 0, ticks = 0, ipis = 0;
    uint64_t softirq_frames = 0;      // __do_softirq from irq_exit
    uint64_t ksoftirqd_frames = 0;    // __do_softirq from ksoftirqd
    uint64_t softirq_restarts = 0;    // extra net_rx_action rounds inside one __do_softirq
    uint64_t ksoftirqd_wakeups = 0;   // __do_softirq gave up (time/restarts/need_resched)
    uint64_t napi_polls = 0, time_squeeze = 0;
    uint64_t packets = 0;
    uint64_t accepts = 0;             // connections sshd on this core accepted
    uint64_t context_switches = 0;
};

class OsCore : public sc_core::sc_module, public IrqTarget, public AppReader {
public:
    struct Env {
        const SimParams* p = nullptr;
        Timebase tb;
        Nic* nic = nullptr;
        OsRx* rx = nullptr;
        Listener* listener = nullptr;
        Clients* clients = nullptr;
        HostRing* host_ring = nullptr; // frames offload cores pass to this core (Offsched design)
        CoreUsage* usage = nullptr;
        Ledger* ledger = nullptr;
        bool has_sshd = true;
    };
    // End of run: what still waits in the LRP channel.
    const std::deque<Slot>& lrp_channel() const { return channel_; }

    SC_HAS_PROCESS(OsCore);
    OsCore(sc_core::sc_module_name name, uint32_t id, const Env& env);

    void deliver(const IrqEvent& e) override;
    // A connection for this core's sshd worker (wakes it).
    void enqueue_accept(uint32_t conn);
    // Datagrams wait in this core's application socket (wakes the user task).
    void app_ready() override;
    // Other CFS work on this core (companions: rtop's stats publisher kworker, an OS stats
    // agent), run by the core's user task like an accept, so it competes with ksoftirqd as sshd
    // does; done(now_ns) once it has run (os_core_user.cc).
    void enqueue_user_work(uint64_t cycles, std::function<void(uint64_t)> done);
    // Runnable CFS tasks: the run-queue length rtop reports.
    uint32_t nr_running() const { return (sshd_.runnable ? 1u : 0u) + (ksoftirqd_.runnable ? 1u : 0u); }
    // SCHED_FIFO tasks of this core (os_rt_tasks.h): above CFS, below hardirqs and softirqs.
    void set_rt(OsRtTasks* rt) { rt_ = rt; }
    // End of run: book the part of a chunk that has not happened yet, and idle time.
    void finish(uint64_t end_ps);

    uint32_t id() const { return id_; }
    const OsCoreStats& stats() const { return st_; }

private:
    enum class Task : uint8_t { None, Sshd, Ksoftirqd };
    enum class Act : uint8_t { Start, Chunk, Interruptible, RtRun };
    enum class Owner : uint8_t { IrqExit, Ksoftirqd };
    static constexpr uint32_t kHostNapi = 0xffffffffu;

    struct TaskState {
        bool runnable = false;
        uint64_t vruntime = 0; // ns
    };
    struct Frame { // one __do_softirq invocation
        bool active = false;
        Owner owner = Owner::IrqExit;
        uint64_t start_ps = 0;
        uint32_t restarts_left = 0;
        bool round_active = false; // inside net_rx_action
        int64_t budget = 0;
        uint64_t round_end_ps = 0;
    };

    void run();
    void tick();
    void dispatch(uint64_t now);
    // rt_label: the chunk belongs to an RT task (named so in traces, no CFS vruntime charged).
    void chunk(CpuMode m, uint64_t cycles, const char* rt_label = nullptr);
    void end_chunk();
    void end_interruptible(uint64_t now);
    void hardirq(const IrqEvent& e);
    void napi_schedule(uint32_t napi);
    bool frame_step(uint64_t now);
    uint64_t poll(uint32_t napi, uint32_t weight, uint32_t* work);
    bool schedule(uint64_t now);
    void wake(Task t);
    TaskState& ts(Task t) { return t == Task::Sshd ? sshd_ : ksoftirqd_; }
    bool runnable(Task t) const { return t == Task::Sshd ? sshd_.runnable : t == Task::Ksoftirqd && ksoftirqd_.runnable; }
    void charge_vruntime(uint64_t ps);
    bool app_begin(); // the user task's next datagram batch or busy poll (os_core_app.cc)
    uint64_t lrp_demux(uint32_t q); // the LRP interrupt: frames to the channel (os_core_app.cc)
    uint64_t lrp_receive();         // the receiving task's protocol work on its channel
    bool user_begin();             // the next enqueue_user_work item (os_core_user.cc)
    bool user_end(uint64_t now);   // the item in progress finished
    bool rt_dispatch(uint64_t now); // an RT task's switch or run (os_core_rt.cc)
    void end_rt_run(uint64_t now);

    uint32_t id_;
    Env env_;
    const OsParams& os_;
    OsCoreStats st_;
    sc_core::sc_event irq_ev_;
    std::deque<IrqEvent> pending_;
    std::deque<uint32_t> poll_list_;
    std::vector<uint8_t> napi_scheduled_; // per NIC queue, + host napi at the end
    std::vector<uint32_t> completions_;   // NAPIs completed by the running poll chunk
    std::vector<Slot> slots_;             // scratch for polls
    std::vector<GroTag> tags_;            // GRO tags of host-ring slots (scratch for polls)
    OsGro gro_{env_.p->os.gro_segments};  // what one poll's GRO holds
    bool net_rx_pending_ = false;
    bool irq_exit_ = false;
    bool need_resched_ = false;
    Frame frame_;

    Act act_ = Act::Start;
    CpuMode chunk_mode_ = CpuMode::Idle;
    uint64_t chunk_end_ps_ = 0, chunk_cycles_ = 0;
    uint64_t run_start_ps_ = 0, planned_end_ps_ = 0;

    Task cur_ = Task::None;
    TaskState sshd_, ksoftirqd_;
    uint64_t min_vruntime_ = 0;
    uint64_t slice_start_ps_ = 0;
    std::deque<uint32_t> accept_q_;
    uint32_t sshd_conn_ = 0;
    uint64_t sshd_remaining_ = 0;
    bool tick_started_ = false;
    RxMode rx_mode_ = RxMode::Napi;
    std::deque<uint32_t> busy_q_; // busy_poll: queues whose IRQ woke the task, still masked
    uint32_t app_batch_ = 0;      // datagrams in the user task's current run (0: an accept)
    std::deque<Slot> channel_;    // lrp: frames demultiplexed to this core's receiving task
    uint64_t channel_pkts_ = 0;
    std::deque<std::pair<uint64_t, std::function<void(uint64_t)>>> user_work_; // cycles, done
    std::function<void(uint64_t)> user_done_; // the user work in progress
    OsRtTasks* rt_ = nullptr;
    uint64_t rt_run_cycles_ = 0;  // the RT task's current interruptible run
};

} // namespace offsched::sim
