#include "backends/sim/hotplug/engine.h"

namespace offsched::sim::hotplug::detail {

// ---------------------------------------------------------------- bringup machinery
int Engine::bringup_cpu(const Who& w, int cpu)
{
    CpuhpCpuState& st = S(cpu);
    note(w, fmt::format("__cpu_up: send INIT, SIPI, SIPI to cpu {}", cpu),
         "The AP is reset and starts at the real-mode trampoline, whatever it was doing.");
    st.death_reported = false;
    if (run_.offsched.enabled && run_.offsched.cpu == cpu)
        res_.service.init_sipi_ns = now();
    st.init_pending = true;
    st.init_ev.notify(sc_core::SC_ZERO_TIME);
    wait_ns(table_.costs.init_sipi_ns);
    sc_core::sc_spawn([this, cpu] { start_secondary(cpu); }, tname("swapper", cpu).c_str());
    while (!m_.online[cpu])
        sc_core::wait(st.online_ev);
    st.done_up.wait(); // bringup_wait_for_ap: AP reached CPUHP_AP_ONLINE_IDLE
    if (!m_.online[cpu])
        return -ECANCELED_;
    st.thread_parked = false;
    note(w, fmt::format("kthread_unpark(cpuhp/{})", cpu));
    if (st.target <= table_.anchors.ap_online_idle)
        return 0;
    return kick_ap(w, cpu, st.target);
}

// start_secondary() on the AP after INIT/SIPI.
void Engine::start_secondary(int cpu)
{
    const Who w{cpu, tname("swapper", cpu)};
    CpuhpCpuState& st = S(cpu);
    st.init_pending = false;
    wait_ns(table_.costs.ap_cpu_init_ns);
    note(w, fmt::format("start_secondary: cpu {} runs cpu_init, smp_callin; interrupts off", cpu));
    const int target = std::min(st.target, table_.anchors.ap_online);
    note(w, fmt::format("notify_cpu_starting: STARTING callbacks from state {} up to {}", st.state, target),
         "STARTING callbacks run on the new CPU before it is online, interrupts off; they must not fail.");
    invoke_range(w, true, cpu, target, true);
    m_.online[cpu] = true;
    note(w, fmt::format("set_cpu_online({}, true); enable interrupts", cpu),
         "The CPU is online (tracepoints fire again) but not active: no task is placed here yet.");
    st.online_ev.notify(sc_core::SC_ZERO_TIME);
    st.state = table_.anchors.ap_online_idle;
    note(w, fmt::format("cpuhp_online_idle: stop_machine_unpark; state {} (ap:online-idle); complete done_up", st.state),
         "The idle task of the new CPU wakes the control CPU, which hands the ONLINE states to cpuhp/N.");
    st.done_up.complete();
}

// The BP_PREPARE_DYN startup callback offsched registers: runs on the control CPU before
// bringup_cpu sends INIT/SIPI.
int Engine::offsched_cpu_prepare(const Who& w, int cpu)
{
    CpuhpCpuState& st = S(cpu);
    wait_ns(table_.costs.default_callback_ns);
    if (!st.service_running)
        return 0;
    st.stop_requested = true;
    res_.service.stop_step = st.state;
    res_.service.stop_on_cpu = w.cpu;
    note(w, fmt::format("offsched: set the stop flag of the service on cpu {} and wait for its ack", cpu),
         "INIT/SIPI would kill the service mid-loop; this callback, which the state machine runs "
         "before cpu:bringup, lets it finish its iteration and leave cleanly.");
    while (st.service_running)
        sc_core::wait(st.stop_ack_ev);
    return 0;
}

} // namespace offsched::sim::hotplug::detail
