// The machine's per-CPU data and the subsystem callbacks that attach it to a CPU coming up or
// detach it from a CPU going down (the S/390 hotplug idea Linux kept: every part with per-CPU
// data registers a startup and a teardown function). Callbacks are known by the kernel function
// name the state table (data) gives; each has a plain-English why and, when it moves per-CPU
// work, an action on the model's PerCpuState.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "backends/sim/hotplug/cpuhp_table.h"

namespace offsched::sim::hotplug {

struct PerCpuData {
    std::vector<std::string> tasks;         // runnable tasks bound to nothing (pushable)
    std::vector<std::string> percpu_kthreads; // ksoftirqd/N, kworker/N:0 ...: bound to this CPU
    std::vector<std::string> parked;        // per-CPU kthreads parked while the CPU is down
    std::vector<std::string> timers;        // timer wheel
    std::vector<std::string> hrtimers;
    std::vector<int> irqs;                  // IRQs whose effective affinity is this CPU
    std::vector<std::string> tasklets;      // pending tasklets (TASKLET_SOFTIRQ)
    int backlog_packets = 0;                // softnet_data input queue (NET_RX_SOFTIRQ)
    int rcu_callbacks = 0;
};

// What the hotplug model moves between CPUs: every CPU's state and the machine-wide masks.
struct PerCpuState {
    int ncpus = 0;
    std::vector<bool> online, active;
    std::vector<PerCpuData> cpu;
    std::vector<std::pair<int, int>> managed_irqs; // (irq, home CPU): come back when it returns

    int first_active_other_than(int cpu) const; // -1 if none
    int total_work(int cpu) const;              // items still attached to cpu (tasks excluded idle)
};

// A default workload: on every CPU one user task, ksoftirqd/N + kworker/N:0, a timer, an
// hrtimer, a managed NIC queue IRQ, and on each CPU some pending tasklets, backlog packets and
// RCU callbacks, so that every detach function has something to move.
PerCpuState make_default_state(int ncpus);

using NoteFn = std::function<void(const std::string& text, const std::string& why)>;

struct PartCall {
    PerCpuState& m;
    int cpu;      // the CPU being plugged/unplugged
    int this_cpu; // the CPU executing the callback
    NoteFn note;
};

// The state machine's own steps among the callbacks: the engine runs these itself (they drive
// other CPUs and processes), as kernel/cpu.c's table names its own functions for them.
enum class EngineStep : uint8_t { None, BringupCpu, TakedownCpu, OffschedPrepare };

struct KnownCallback {
    const char* fn;
    const char* why;
    void (*act)(PartCall&); // nullptr: bookkeeping the model does not simulate beyond its cost
    EngineStep engine = EngineStep::None;
};

const KnownCallback* find_callback(const std::string& fn);
// Binds every state's callbacks to their table entries (CpuhpState::startup_cb, teardown_cb),
// once, so running a step never looks a function up by its name.
void bind_callbacks(CpuhpTable* t);
// The why for a callback: the known text, else one made from the state's name and section.
std::string callback_why(const CpuhpState& st, bool bringup);

} // namespace offsched::sim::hotplug
