// The cpuhp state table of one kernel version, loaded from data/cpuhp/<kernel>.yaml: which
// hotplug states exist, their step numbers, section, callbacks and costs. The model's state
// machine is code; the list of states is data, so another kernel is another file.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace offsched::sim::hotplug {

// Where a state's callbacks run (include/linux/cpuhotplug.h):
//   Prepare  - BP: on the control CPU, before the CPU starts / after it died (incl. TEARDOWN_CPU)
//   Starting - AP: on the plugged CPU itself, interrupts off, from low-level bringup/teardown
//   Online   - AP: on the plugged CPU, in its per-CPU cpuhp/N thread, interrupts on
enum class Section { Prepare, Starting, Online };
const char* section_name(Section s);

struct CpuhpState {
    int step = 0;
    std::string name;       // as /sys/devices/system/cpu/hotplug/states shows it
    std::string enum_name;  // CPUHP_...
    Section section = Section::Prepare;
    std::string startup;    // kernel function; "" = none (state skipped on the way up)
    std::string teardown;   // "" = none (skipped on the way down)
    int instances = -1;     // multi-instance state: callbacks run once per instance; -1 = single
    bool cant_stop = false;
    uint64_t startup_ns = 0;
    uint64_t teardown_ns = 0;
    int line = 0;           // line in the data file, for error messages
    // The callbacks' entries in the model's table (bind_callbacks, percpu_parts.h); nullptr: a
    // function the model knows only by its cost.
    const struct KnownCallback* startup_cb = nullptr;
    const struct KnownCallback* teardown_cb = nullptr;
};

// Step numbers the state machine itself refers to (CPUHP_BRINGUP_CPU etc.): per kernel.
struct CpuhpAnchors {
    int offline = 0, bp_prepare_dyn = 0, bp_prepare_dyn_end = 0, bringup_cpu = 0,
        ap_idle_dead = 0, ap_offline = 0, ap_online = 0, teardown_cpu = 0, ap_online_idle = 0,
        ap_online_dyn = 0, ap_online_dyn_end = 0, ap_active = 0, online = 0;
};

// Costs of the machinery between callbacks (wakeups, stop_machine, INIT/SIPI, ...), in ns.
struct CpuhpCosts {
    uint64_t default_callback_ns = 5000;  // a callback the data gives no cost for
    uint64_t thread_wakeup_ns = 0;        // wake_up_process() of cpuhp/N until it runs
    uint64_t completion_ns = 0;           // complete() until the waiter runs
    uint64_t kthread_park_ns = 0;
    uint64_t stop_machine_sync_ns = 0;    // all stoppers reach the next multi_cpu_stop stage
    uint64_t cpu_disable_ns = 0;          // __cpu_disable(): online mask, lapic, fixup_irqs
    uint64_t per_irq_migrate_ns = 0;
    uint64_t tick_handover_ns = 0;
    uint64_t ipi_ns = 0;                  // smp_call_function_single to another CPU
    uint64_t cpu_die_poll_ns = 0;         // cpu_wait_death() poll interval
    uint64_t init_sipi_ns = 0;            // INIT + 2x SIPI + AP real-mode -> long-mode trampoline
    uint64_t ap_cpu_init_ns = 0;          // cpu_init, smp_callin on the AP
    uint64_t service_poll_ns = 0;         // one iteration of an offsched service's poll loop
};

struct CpuhpTable {
    std::string file;
    std::string kernel;
    CpuhpAnchors anchors;
    CpuhpCosts costs;
    std::map<int, CpuhpState> states; // by step; absent step = empty slot (no name)

    const CpuhpState* find(int step) const;
    const CpuhpState* find_name(const std::string& name) const;
    // First free dynamic slot of CPUHP_BP_PREPARE_DYN (as cpuhp_reserve_state() picks it); -1 if full.
    int free_bp_prepare_dyn_slot() const;
};

// Loads and validates a table. On error returns false with "file:line: field: what" in *error.
bool load_cpuhp_table(const std::string& path, CpuhpTable* out, std::string* error);

// data/cpuhp/<name>.yaml under the source tree this binary was built from (OFFSCHED_DATA_DIR),
// or a path as given when it names an existing file.
std::string cpuhp_table_path(const std::string& name_or_path);

} // namespace offsched::sim::hotplug
