#include "backends/sim/hotplug/percpu_parts.h"

#include <algorithm>

#include <fmt/format.h>

namespace offsched::sim::hotplug {

int PerCpuState::first_active_other_than(int c) const
{
    for (int i = 0; i < ncpus; ++i)
        if (i != c && active[i])
            return i;
    return -1;
}

int PerCpuState::total_work(int c) const
{
    const PerCpuData& d = cpu[c];
    return int(d.tasks.size() + d.percpu_kthreads.size() + d.timers.size() + d.hrtimers.size() +
               d.irqs.size() + d.tasklets.size()) + d.backlog_packets + d.rcu_callbacks;
}

PerCpuState make_default_state(int ncpus)
{
    PerCpuState m;
    m.ncpus = ncpus;
    m.online.assign(ncpus, true);
    m.active.assign(ncpus, true);
    m.cpu.resize(ncpus);
    for (int c = 0; c < ncpus; ++c) {
        PerCpuData& d = m.cpu[c];
        d.tasks = {fmt::format("nginx-{}", c)};
        d.percpu_kthreads = {fmt::format("ksoftirqd/{}", c), fmt::format("kworker/{}:0", c)};
        d.timers = {fmt::format("tcp_keepalive#{}", c)};
        d.hrtimers = {fmt::format("sched_tick#{}", c)};
        const int irq = 24 + c; // one NIC queue per CPU, managed affinity (virtio/NVMe style)
        d.irqs = {irq};
        m.managed_irqs.emplace_back(irq, c);
        d.tasklets = {fmt::format("nic_tx_done#{}", c)};
        d.backlog_packets = 3;
        d.rcu_callbacks = 5;
    }
    return m;
}

namespace {

template <class T>
std::string join(const std::vector<T>& v)
{
    return fmt::format("{}", fmt::join(v, ", "));
}

void act_sched_deactivate(PartCall& c)
{
    c.m.active[c.cpu] = false;
    c.note(fmt::format("cpu {} leaves cpu_active_mask; balance_push armed", c.cpu),
           "From now on the scheduler places no new task on this CPU, and any task that runs "
           "there is pushed away at its next schedule.");
}

void act_sched_activate(PartCall& c)
{
    c.m.active[c.cpu] = true;
    c.note(fmt::format("cpu {} joins cpu_active_mask", c.cpu),
           "The load balancer may now move tasks here: the CPU is fully usable.");
}

void act_park_threads(PartCall& c)
{
    PerCpuData& d = c.m.cpu[c.cpu];
    if (d.percpu_kthreads.empty())
        return;
    c.note(fmt::format("park per-CPU kthreads of cpu {}: {}", c.cpu, join(d.percpu_kthreads)),
           "Per-CPU kernel threads cannot run elsewhere; they are parked (kept, not runnable) "
           "instead of migrated, and unparked when the CPU returns.");
    d.parked.insert(d.parked.end(), d.percpu_kthreads.begin(), d.percpu_kthreads.end());
    d.percpu_kthreads.clear();
}

void act_unpark_threads(PartCall& c)
{
    PerCpuData& d = c.m.cpu[c.cpu];
    if (d.parked.empty())
        return;
    c.note(fmt::format("unpark per-CPU kthreads of cpu {}: {}", c.cpu, join(d.parked)),
           "The CPU can run its own kernel threads again.");
    d.percpu_kthreads.insert(d.percpu_kthreads.end(), d.parked.begin(), d.parked.end());
    d.parked.clear();
}

void act_wait_empty(PartCall& c)
{
    PerCpuData& d = c.m.cpu[c.cpu];
    for (const auto& t : d.tasks) {
        const int to = c.m.first_active_other_than(c.cpu);
        c.note(fmt::format("migrate task {}: cpu {} -> cpu {}", t, c.cpu, to),
               "balance_push moved the task to an active CPU; sched_cpu_wait_empty waits until "
               "only the idle task and the hotplug thread are left here.");
        c.m.cpu[to].tasks.push_back(t);
    }
    d.tasks.clear();
}

void act_hrtimers_dying(PartCall& c)
{
    PerCpuData& d = c.m.cpu[c.cpu];
    const int to = c.m.first_active_other_than(c.cpu);
    if (d.hrtimers.empty() || to < 0)
        return;
    c.note(fmt::format("migrate hrtimers {} : cpu {} -> cpu {}", join(d.hrtimers), c.cpu, to),
           "High-resolution timers must keep firing: they move to an active CPU, which is told "
           "by IPI to reprogram its next event.");
    auto& dst = c.m.cpu[to].hrtimers;
    dst.insert(dst.end(), d.hrtimers.begin(), d.hrtimers.end());
    d.hrtimers.clear();
}

void act_timers_dead(PartCall& c)
{
    PerCpuData& d = c.m.cpu[c.cpu];
    if (d.timers.empty())
        return;
    c.note(fmt::format("migrate timers {} : cpu {} -> cpu {}", join(d.timers), c.cpu, c.this_cpu),
           "The dead CPU's timer wheel is emptied into the wheel of the CPU running this DEAD "
           "callback, so no timeout is lost.");
    auto& dst = c.m.cpu[c.this_cpu].timers;
    dst.insert(dst.end(), d.timers.begin(), d.timers.end());
    d.timers.clear();
}

void act_takeover_tasklets(PartCall& c)
{
    PerCpuData& d = c.m.cpu[c.cpu];
    if (d.tasklets.empty())
        return;
    c.note(fmt::format("take over tasklets {} : cpu {} -> cpu {}, raise TASKLET_SOFTIRQ", join(d.tasklets),
                       c.cpu, c.this_cpu),
           "Softirq work queued on the dead CPU would never run: the pending tasklets are "
           "spliced onto this CPU's list and the softirq is raised here.");
    auto& dst = c.m.cpu[c.this_cpu].tasklets;
    dst.insert(dst.end(), d.tasklets.begin(), d.tasklets.end());
    d.tasklets.clear();
}

void act_dev_cpu_dead(PartCall& c)
{
    PerCpuData& d = c.m.cpu[c.cpu];
    if (d.backlog_packets == 0)
        return;
    c.note(fmt::format("move {} backlog packets: cpu {} -> cpu {}, raise NET_RX_SOFTIRQ", d.backlog_packets,
                       c.cpu, c.this_cpu),
           "Packets queued for the dead CPU's softnet backlog (RPS, netif_rx) are re-queued "
           "here so the network stack still delivers them.");
    c.m.cpu[c.this_cpu].backlog_packets += d.backlog_packets;
    d.backlog_packets = 0;
}

void act_workqueue_offline(PartCall& c)
{
    PerCpuData& d = c.m.cpu[c.cpu];
    auto it = std::find_if(d.percpu_kthreads.begin(), d.percpu_kthreads.end(),
                           [](const std::string& s) { return s.rfind("kworker/", 0) == 0; });
    if (it == d.percpu_kthreads.end())
        return;
    c.note(fmt::format("unbind {} from cpu {}", *it, c.cpu),
           "The per-CPU worker pool becomes unbound: queued work items may now run on any CPU.");
    d.parked.push_back(*it);
    d.percpu_kthreads.erase(it);
}

void act_irq_affinity_online(PartCall& c)
{
    for (auto [irq, home] : c.m.managed_irqs) {
        if (home != c.cpu)
            continue;
        for (auto& d : c.m.cpu)
            d.irqs.erase(std::remove(d.irqs.begin(), d.irqs.end(), irq), d.irqs.end());
        c.m.cpu[c.cpu].irqs.push_back(irq);
        c.note(fmt::format("IRQ {} (managed) affinity back to cpu {}", irq, c.cpu),
               "A managed interrupt (one queue per CPU) returns to its home CPU when it comes back.");
    }
}

constexpr KnownCallback kCallbacks[] = {
    // ---- ONLINE section, teardown order (cpuhp/N thread on the dying CPU) ----
    {"sched_cpu_deactivate", "First step down: the scheduler stops using the CPU. It waits for an "
     "RCU grace period (synchronize_rcu) so every CPU sees the new cpu_active_mask: the slowest step.",
     act_sched_deactivate},
    {"mce_cpu_pre_down", "Machine-check polling timer of this CPU is stopped.", nullptr},
    {"ledtrig_prepare_down_cpu", "The 'cpu' LED trigger reports the CPU going away.", nullptr},
    {"vmstat_cpu_down_prep", "The per-CPU vmstat update work is cancelled.", nullptr},
    {"cacheinfo_cpu_pre_down", "The CPU's cache description (sysfs cacheinfo) is removed.", nullptr},
    {"rcutree_offline_cpu", "RCU stops expecting this CPU's boost kthread affinity.", nullptr},
    {"workqueue_offline_cpu", "Workqueues unbind this CPU's worker pool.", act_workqueue_offline},
    {"lockup_detector_offline_cpu", "The soft/hard lockup watchdog stops watching the CPU.", nullptr},
    {"perf_event_exit_cpu", "perf events bound to the CPU are removed.", nullptr},
    {"smpboot_park_threads", "Per-CPU kthreads (ksoftirqd/N, ...) are parked.", act_park_threads},
    {"sched_cpu_wait_empty", "Wait until every pushable task has left the CPU.", act_wait_empty},
    // ---- STARTING/DYING (on the dying CPU inside stop_machine, interrupts off) ----
    {"hrtimers_cpu_dying", "hrtimers are migrated to an active CPU.", act_hrtimers_dying},
    {"smpcfd_dying_cpu", "Pending smp_call_function requests queued to this CPU are run now, "
     "before it stops taking IPIs.", nullptr},
    {"rcutree_dying_cpu", "RCU records that the CPU will stop reporting quiescent states.", nullptr},
    {"sched_cpu_dying", "The runqueue must now hold only the idle and stopper tasks; its load "
     "is folded into the global load average.", nullptr},
    // ---- PREPARE section teardown: DEAD callbacks on the control CPU ----
    {"takedown_cpu", "Control CPU: park cpuhp/N, run take_cpu_down on the dying CPU under "
     "stop_machine, wait for it to reach the idle loop, then for it to report death.", nullptr, EngineStep::TakedownCpu},
    {"finish_cpu", "The idle task's borrowed mm is dropped now that the CPU is dead.", nullptr},
    {"free_vm_stack_cache", "The dead CPU's cache of free kernel stacks is freed.", nullptr},
    {"timers_dead_cpu", "Timer-wheel timers of the dead CPU are migrated here.", act_timers_dead},
    {"zswap_cpu_comp_dead", "zswap frees the dead CPU's compressor context.", nullptr},
    {"zswap_dstmem_dead", "zswap frees the dead CPU's buffer.", nullptr},
    {"topology_remove_dev", "The CPU's topology sysfs directory is removed.", nullptr},
    {"rcutree_dead_cpu", "RCU forgets the CPU in its grace-period bookkeeping.", nullptr},
    {"smpcfd_dead_cpu", "The CPU's call-function data is freed.", nullptr},
    {"dev_cpu_dead", "Networking takes over the dead CPU's packet queues.", act_dev_cpu_dead},
    {"page_alloc_cpu_dead", "Pages cached in the dead CPU's per-CPU free lists go back to the zones.", nullptr},
    {"radix_tree_cpu_dead", "The dead CPU's radix-tree node preload cache is freed.", nullptr},
    {"percpu_counter_cpu_dead", "Per-CPU counter deltas are folded into the global counts.", nullptr},
    {"memcg_hotplug_cpu_dead", "Memory-cgroup per-CPU stock and statistics are drained.", nullptr},
    {"console_cpu_notify", "printk lets a waiting console owner make progress.", nullptr},
    {"buffer_exit_cpu_dead", "The dead CPU's buffer-head LRU is released.", nullptr},
    {"acpi_soft_cpu_dead", "The ACPI processor driver drops the CPU's idle/throttling state.", nullptr},
    {"bio_cpu_dead", "Each bio set frees the dead CPU's cached bios (one call per instance).", nullptr},
    {"blk_softirq_cpu_dead", "Block completions queued on the dead CPU are moved here.", nullptr},
    {"irq_poll_cpu_dead", "irq_poll work queued on the dead CPU is moved here.", nullptr},
    {"takeover_tasklets", "Pending tasklets of the dead CPU are taken over.", act_takeover_tasklets},
    {"vmstat_cpu_dead", "vmstat refreshes node statistics without the dead CPU.", nullptr},
    {"page_writeback_cpu_online", "Dirty-page ratelimits are recomputed for the new CPU count.", nullptr},
    {"slub_cpu_dead", "SLUB flushes the dead CPU's per-CPU slabs back to the nodes.", nullptr},
    {"mce_cpu_dead", "Machine-check state of the dead CPU is cleared.", nullptr},
    // ---- bringup ----
    {"smpboot_create_threads", "Per-CPU kthreads (cpuhp/N, ksoftirqd/N, ...) exist before the CPU "
     "runs; they are created, parked, on the control CPU.", nullptr},
    {"perf_event_init_cpu", "perf prepares the CPU's event context.", nullptr},
    {"page_alloc_cpu_online", "Per-CPU page lists are sized for the CPU.", nullptr},
    {"random_prepare_cpu", "The CPU's random-number state is reset.", nullptr},
    {"workqueue_prepare_cpu", "Workqueues create the CPU's worker pool threads.", nullptr},
    {"hrtimers_prepare_cpu", "The CPU's hrtimer bases are initialised.", nullptr},
    {"smpcfd_prepare_cpu", "call-function data for IPIs to the CPU is allocated.", nullptr},
    {"relay_prepare_cpu", "relay channels get a buffer for the CPU.", nullptr},
    {"rcutree_prepare_cpu", "RCU adds the CPU to its grace-period bookkeeping.", nullptr},
    {"topology_add_dev", "The CPU's topology sysfs directory is created.", nullptr},
    {"trace_rb_cpu_prepare", "Each ftrace ring buffer gets a per-CPU buffer (one call per instance).", nullptr},
    {"zswap_dstmem_prepare", "zswap allocates the CPU's buffer.", nullptr},
    {"zswap_cpu_comp_prepare", "zswap allocates the CPU's compressor context.", nullptr},
    {"timers_prepare_cpu", "The CPU's timer wheel is initialised.", nullptr},
    {"bringup_cpu", "Control CPU: send INIT/SIPI, wait for the AP to run its STARTING callbacks and "
     "mark itself online, unpark cpuhp/N and let it run the ONLINE states.", nullptr, EngineStep::BringupCpu},
    {"sched_cpu_starting", "The AP's runqueue is set up (interrupts still off).", nullptr},
    {"hrtimers_cpu_starting", "The AP's hrtimer bases go online.", nullptr},
    {"smpboot_unpark_threads", "Per-CPU kthreads are unparked.", act_unpark_threads},
    {"irq_affinity_online_cpu", "Managed interrupts of this CPU get their affinity back.", act_irq_affinity_online},
    {"lockup_detector_online_cpu", "The lockup watchdog starts watching the CPU.", nullptr},
    {"workqueue_online_cpu", "The CPU's worker pool is bound to it again.", nullptr},
    {"random_online_cpu", "The CPU's random state becomes usable.", nullptr},
    {"rcutree_online_cpu", "RCU boost kthread affinity includes the CPU.", nullptr},
    {"cacheinfo_cpu_online", "The CPU's cache description appears in sysfs.", nullptr},
    {"vmstat_cpu_online", "The CPU's vmstat work is started.", nullptr},
    {"kcompactd_cpu_online", "kcompactd threads may run on the CPU.", nullptr},
    {"compute_batch_value", "percpu_counter batch is recomputed for the CPU count.", nullptr},
    {"acpi_soft_cpu_online", "The ACPI processor driver sets up the CPU's idle states.", nullptr},
    {"ledtrig_online_cpu", "The 'cpu' LED trigger reports the CPU back.", nullptr},
    {"mce_cpu_online", "Machine-check polling starts on the CPU.", nullptr},
    {"offsched_cpu_prepare", "offsched's own BP_PREPARE_DYN callback: for every CPU coming up it runs on the "
     "control CPU before cpu:bringup; for a CPU running a service it stops the service first.", nullptr,
     EngineStep::OffschedPrepare},
    {"sched_cpu_activate", "Last step up: the CPU joins cpu_active_mask; tasks may come.", act_sched_activate},
};

} // namespace

const KnownCallback* find_callback(const std::string& fn_in)
{
    // A module's function is printed "name [module]" (%ps); look it up by name.
    const std::string fn = fn_in.substr(0, fn_in.find(' '));
    for (const auto& k : kCallbacks)
        if (fn == k.fn)
            return &k;
    return nullptr;
}

void bind_callbacks(CpuhpTable* t)
{
    for (auto& [step, st] : t->states) {
        st.startup_cb = st.startup.empty() ? nullptr : find_callback(st.startup);
        st.teardown_cb = st.teardown.empty() ? nullptr : find_callback(st.teardown);
    }
}

std::string callback_why(const CpuhpState& st, bool bringup)
{
    if (const KnownCallback* k = bringup ? st.startup_cb : st.teardown_cb)
        return k->why;
    return fmt::format("The '{}' subsystem {} its per-CPU part ({} section).", st.name,
                       bringup ? "attaches" : "detaches", section_name(st.section));
}

} // namespace offsched::sim::hotplug
