#include "backends/sim/hotplug/engine.h"

namespace offsched::sim::hotplug::detail {

// stop_machine_cpuslocked(take_cpu_down, cpumask_of(cpu)): multi_cpu_stop on every online CPU.
int Engine::stop_machine(const Who& w, int cpu)
{
    auto sm = std::make_shared<StopMachine>();
    std::vector<int> cpus;
    for (int k = 0; k < run_.ncpus; ++k)
        if (m_.online[k])
            cpus.push_back(k);
    sm->threads = int(cpus.size());
    note(w, fmt::format("stop_machine: wake migration/N (the stopper) on cpus {}", fmt::join(cpus, ",")),
         "take_cpu_down must run while no other CPU runs anything: every online CPU's stopper "
         "thread steps through PREPARE, DISABLE_IRQ, RUN, EXIT together, acking each stage.");
    for (int k : cpus)
        sc_core::sc_spawn([this, sm, k, cpu] { multi_cpu_stop(sm, k, cpu); }, tname("migration", k).c_str());
    sm->done.wait();
    return sm->ret;
}

void Engine::multi_cpu_stop(std::shared_ptr<StopMachine> sm, int k, int cpu)
{
    const Who w{k, tname("migration", k)};
    wait_ns(table_.costs.thread_wakeup_ns / 4);
    // multi_cpu_stop stages: 0 PREPARE, 1 DISABLE_IRQ, 2 RUN, 3 EXIT.
    for (int stage = 0; stage < 4; ++stage) {
        while (sm->stage < stage)
            sc_core::wait(sm->stage_ev);
        if (stage == 1)
            note(w, fmt::format("cpu {}: interrupts off, {}", k,
                                k == cpu ? "about to run take_cpu_down" : "spinning until EXIT"));
        if (stage == 2 && k == cpu)
            sm->ret = take_cpu_down(w, cpu);
        if (++sm->acks == sm->threads) { // the last CPU to ack moves everyone to the next stage
            sm->acks = 0;
            wait_ns(table_.costs.stop_machine_sync_ns);
            sm->stage = stage + 1;
            sm->stage_ev.notify(sc_core::SC_ZERO_TIME);
            if (stage == 3)
                sm->done.complete();
        }
    }
    if (k == cpu && sm->ret == 0)
        sc_core::sc_spawn([this, cpu] { idle_dead(cpu); }, tname("swapper", cpu).c_str());
}

// take_cpu_down() on the dying CPU, inside stop_machine, interrupts off.
int Engine::take_cpu_down(const Who& w, int cpu)
{
    CpuhpCpuState& st = S(cpu);
    const int target = std::max(st.target, table_.anchors.ap_offline);
    // __cpu_disable() -> cpu_disable_common() + fixup_irqs()
    wait_ns(table_.costs.cpu_disable_ns);
    note(w, fmt::format("__cpu_disable: cpu {} leaves cpu_online_mask", cpu),
         "From here the CPU is offline for the rest of the kernel: no new interrupts are routed "
         "to it, and tracepoints on it stop firing (their condition is cpu_online()), which is "
         "why the DYING callbacks below never show in a real trace.");
    m_.online[cpu] = false;
    migrate_irqs(w, cpu);
    note(w, fmt::format("DYING callbacks on cpu {} from state {} down to {}, interrupts off", cpu,
                        st.state, target),
         "STARTING/DYING callbacks run on the CPU itself with interrupts disabled and must not fail.");
    invoke_range(w, false, cpu, target, true);
    wait_ns(table_.costs.tick_handover_ns);
    note(w, fmt::format("tick_handover_do_timer: timekeeping duty leaves cpu {}", cpu),
         "If this CPU was updating jiffies, another online CPU takes over.");
    note(w, fmt::format("stop_machine_park: migration/{} parks; cpu {} will schedule its idle task", cpu, cpu));
    return 0;
}

void Engine::migrate_irqs(const Who& w, int cpu)
{
    auto& irqs = m_.cpu[cpu].irqs;
    for (int irq : irqs) {
        wait_ns(table_.costs.per_irq_migrate_ns);
        const bool managed = std::any_of(m_.managed_irqs.begin(), m_.managed_irqs.end(),
                                         [&](auto& p) { return p.first == irq; });
        if (managed) {
            note(w, fmt::format("fixup_irqs: managed IRQ {} shut down (its only CPU goes away)", irq),
                 "A managed interrupt (per-queue) is not moved: its queue is quiesced and the IRQ "
                 "restarts when its CPU returns (irq_affinity_online_cpu).");
            continue;
        }
        const int to = first_online_other_than(cpu);
        note(w, fmt::format("fixup_irqs: IRQ {} affinity cpu {} -> cpu {}", irq, cpu, to),
             "An ordinary device interrupt affine to the dying CPU is re-targeted to an online CPU.");
        m_.cpu[to].irqs.push_back(irq);
    }
    irqs.clear();
}

// The idle task of the dead CPU: do_idle() -> cpuhp_report_idle_dead() -> play_dead().
void Engine::idle_dead(int cpu)
{
    const Who w{cpu, tname("swapper", cpu)};
    CpuhpCpuState& st = S(cpu);
    if (st.state != table_.anchors.ap_offline)
        note(w, fmt::format("BUG: cpuhp_report_idle_dead in state {}", st.state));
    st.state = table_.anchors.ap_idle_dead;
    note(w, fmt::format("cpuhp_report_idle_dead: cpu {} state {} (idle:dead); rcu_report_dead", cpu, st.state),
         "The idle loop sees the CPU offline. The CPU can no longer use RCU, so it asks an online "
         "CPU by IPI to complete the control CPU's wait.");
    const int helper = first_online_other_than(cpu);
    sc_core::sc_spawn(
        [this, cpu, helper] {
            wait_ns(table_.costs.ipi_ns);
            note(Who{helper, "<irq>"}, fmt::format("IPI cpuhp_complete_idle_dead: complete done_down of cpu {}", cpu));
            S(cpu).done_down.complete();
        },
        "ipi");
    play_dead(w, cpu);
}

void Engine::play_dead_common(const Who& w, int cpu)
{
    S(cpu).death_reported = true;
    note(w, "play_dead_common: idle_task_exit, cpu_report_death, local_irq_disable",
         "The CPU tells the control CPU it is dead (cpu_wait_death polls for this) and disables "
         "interrupts for good.");
}

void Engine::play_dead(const Who& w, int cpu)
{
    CpuhpCpuState& st = S(cpu);
    const OffschedSetup& o = run_.offsched;
    if (o.enabled && o.cpu == cpu && claimed_) {
        note(w, fmt::format("play_dead: offsched's smp_ops.play_dead claims cpu {}", cpu),
             "offsched replaced smp_ops.play_dead: for a CPU it claims, the dead CPU does not halt.");
        play_dead_common(w, cpu);
        ServiceFacts& f = res_.service;
        f.runs++;
        f.cpu = w.cpu;
        f.start_ns = now();
        f.polls = 0;
        st.service_running = true;
        st.stop_requested = false;
        note(w, fmt::format("offsched: service '{}' runs alone on cpu {}: interrupts off, polling", o.service, cpu),
             "The CPU is outside the scheduler, RCU, IPIs and timers: nothing interrupts the "
             "service loop. It talks to online CPUs only through lock-free rings.");
        while (!st.stop_requested && !st.init_pending && !quit_) {
            wait_ns(table_.costs.service_poll_ns);
            f.polls++;
        }
        st.service_running = false;
        f.stop_ns = now();
        if (st.init_pending) {
            f.killed_by_init = true;
            note(w, fmt::format("INIT/SIPI resets cpu {} in the middle of the service loop after {} polls",
                                cpu, f.polls),
                 "Without a cooperative stop the kernel's INIT kills the loop wherever it is: "
                 "rings half-written, state lost.");
            return;
        }
        if (st.stop_requested) {
            f.stopped_cooperatively = true;
            claimed_ = false; // as backends/kernel: the slot is "stopped" until attached again
            note(w, fmt::format("offsched: service sees the stop flag after {} polls, acks, jumps to hlt_play_dead", f.polls),
                 "No module code runs after the ack: the CPU waits for INIT in the kernel's own halt loop. "
                 "The claim ends here: a later offline takes the stock path until the service is attached again.");
            st.stop_ack_ev.notify(sc_core::SC_ZERO_TIME);
        }
    } else {
        play_dead_common(w, cpu);
        note(w, fmt::format("native_play_dead: cpu {} halts (mwait/hlt loop) until INIT", cpu),
             "The stock kernel parks a dead CPU in a halt loop; only INIT/SIPI wakes it.");
    }
    while (!st.init_pending && !quit_)
        sc_core::wait(st.init_ev);
}

// takedown_cpu(): the CPUHP_TEARDOWN_CPU teardown callback, on the control CPU.
int Engine::takedown_cpu(const Who& w, int cpu)
{
    CpuhpCpuState& st = S(cpu);
    wait_ns(table_.costs.kthread_park_ns);
    st.thread_parked = true;
    note(w, fmt::format("kthread_park(cpuhp/{}); irq_lock_sparse", cpu),
         "The hotplug thread's work on the CPU is done; the rest is driven from here.");
    const int err = stop_machine(w, cpu);
    if (err) {
        st.thread_parked = false;
        st.wake.notify(sc_core::SC_ZERO_TIME);
        return err;
    }
    st.done_down.wait(); // wait_for_ap_thread(st, false)
    note(w, fmt::format("cpu {} reached idle:dead; irq_unlock_sparse; __cpu_die waits for its death report", cpu));
    while (!st.death_reported)
        wait_ns(table_.costs.cpu_die_poll_ns);
    note(w, fmt::format("smpboot: CPU {} is now offline", cpu));
    PerCpuData& d = m_.cpu[cpu];
    if (d.rcu_callbacks) {
        note(w, fmt::format("rcutree_migrate_callbacks: {} RCU callbacks cpu {} -> cpu {}", d.rcu_callbacks, cpu, w.cpu),
             "Callbacks waiting for a grace period on the dead CPU are adopted by this CPU.");
        m_.cpu[w.cpu].rcu_callbacks += d.rcu_callbacks;
        d.rcu_callbacks = 0;
    }
    return 0;
}

} // namespace offsched::sim::hotplug::detail
