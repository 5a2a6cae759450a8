// The SystemC model of Linux CPU hotplug: the cpuhp state machine of kernel/cpu.c (set/reset
// state, next state, kick of the AP thread, rollback) executed by simulated processes on the
// right CPUs - the control CPU (PREPARE/BP states, takedown_cpu, bringup_cpu), the per-CPU
// cpuhp/N thread (ONLINE states), the stopper threads of stop_machine (take_cpu_down runs the
// DYING states with interrupts off on the dying CPU), the dying CPU's idle task (report dead,
// play_dead) and the AP's start_secondary (STARTING states) - with costs from the state table.
// Re-runnable: every run spawns its own processes and lets them finish, so one process may
// call run_hotplug() any number of times (SystemC elaborates once per process).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backends/sim/hotplug/cpuhp_table.h"
#include "backends/sim/hotplug/hotplug_trace.h"
#include "backends/sim/hotplug/percpu_parts.h"

namespace offsched::sim::hotplug {

struct HotplugOp {
    enum class Kind { Offline, Online };
    Kind kind = Kind::Offline;
    int cpu = 1;
    // Like writing the step to /sys/devices/system/cpu/cpuN/hotplug/fail: the callback of that
    // step returns -EAGAIN without running (and without a trace event), once.
    int fail_at = -1;
    // The callback of that step runs (traced) and returns error_ret: a subsystem refusing.
    int error_at = -1;
    int error_ret = -16; // -EBUSY
    int line = 0;        // scenario line and column, for messages (0: built in code)
    int column = 0;
};

// offsched on top of the stock kernel: play_dead of `cpu` runs `service` instead of halting,
// and a CPUHP_BP_PREPARE_DYN startup callback stops it cooperatively before INIT/SIPI.
struct OffschedSetup {
    bool enabled = false;
    int cpu = -1;
    std::string service; // a registered service (hotplug.offsched.service)
    bool cooperative_stop = true; // false: no BP_PREPARE_DYN callback (shows why it is needed)
};

struct HotplugRun {
    std::string file; // where it was loaded from ("" when built in code), for messages
    int ncpus = 4;
    std::vector<HotplugOp> ops;
    OffschedSetup offsched;
};

struct OpResult {
    HotplugOp op;
    int ret = 0;            // 0 or -errno, as the sysfs write would return
    uint64_t start_ns = 0;
    uint64_t end_ns = 0;
    int final_state = 0;    // /sys/devices/system/cpu/cpuN/hotplug/state afterwards
};

struct ServiceFacts {
    int runs = 0;                  // times play_dead started the service
    int cpu = -1;                  // CPU it ran on (the on_cpu of its loop)
    uint64_t start_ns = 0, stop_ns = 0, polls = 0;
    bool stopped_cooperatively = false;
    bool killed_by_init = false;   // INIT/SIPI arrived while the loop ran
    uint64_t init_sipi_ns = 0;     // last INIT/SIPI sent to the service CPU
    int stop_step = -1;            // step of the BP_PREPARE_DYN callback that stopped it
    int stop_on_cpu = -1;          // CPU that ran that callback
};

struct HotplugResult {
    std::string kernel;
    std::vector<TraceEvent> events;
    std::vector<OpResult> ops;
    PerCpuState machine;           // per-CPU data after the last op
    std::vector<int> cpuhp_state;  // per CPU, after the last op
    ServiceFacts service;
    std::vector<CpuhpState> registered; // dynamic states added for the run (offsched:prepare)
};

// Validates the run against the table (like the kernel's sysfs checks) and simulates it.
// Returns false with a message naming the op and field on invalid input.
bool run_hotplug(const CpuhpTable& table, const HotplugRun& run, HotplugResult* out, std::string* error);

} // namespace offsched::sim::hotplug
