#include "backends/sim/hotplug/engine.h"

namespace offsched::sim::hotplug::detail {

// ---------------------------------------------------------------- operations
int Engine::cpu_down(int cpu)
{
    const int b = first_online_other_than(cpu);
    const Who w{b, fmt::format("kworker/{}:1", b)};
    CpuhpCpuState& st = S(cpu);
    if (online_count() == 1)
        return -EBUSY_;
    note(w, fmt::format("echo 0 > cpu{}/online: _cpu_down(cpu {}, target 0) via work_on_cpu on cpu {}", cpu, cpu, b),
         "The offline request runs on another CPU (never the dying one) under cpus_write_lock.");
    const int prev_state = set_state(cpu, table_.anchors.offline);
    int ret = 0;
    if (st.state > table_.anchors.teardown_cpu) {
        st.target = std::max(table_.anchors.offline, table_.anchors.teardown_cpu);
        ret = kick_ap_work(w, cpu);
        if (ret || st.state > table_.anchors.teardown_cpu)
            return ret;
        st.target = table_.anchors.offline;
    }
    // cpuhp_down_callbacks()
    const int prev = st.state;
    ret = invoke_range(w, false, cpu, table_.anchors.offline, false);
    if (ret) {
        reset_state(w, cpu, prev);
        if (st.state < prev)
            invoke_range(w, true, cpu, prev, false);
    }
    if (ret && st.state < prev_state) {
        if (st.state == table_.anchors.teardown_cpu) {
            reset_state(w, cpu, prev_state);
            kick_ap_raw(w, cpu);
        } else {
            note(w, fmt::format("WARN: DEAD callback error for CPU{}", cpu));
        }
    }
    return ret;
}

int Engine::cpu_up(int cpu)
{
    const Who w{0, "sh"};
    CpuhpCpuState& st = S(cpu);
    const int target = table_.anchors.online;
    note(w, fmt::format("echo 1 > cpu{}/online: _cpu_up(cpu {}, target {})", cpu, cpu, target),
         "The writer itself (here on cpu 0) is the control CPU for the PREPARE states.");
    if (st.state >= target)
        return 0;
    set_state(cpu, target);
    if (st.state > table_.anchors.bringup_cpu) {
        const int ret = kick_ap_work(w, cpu);
        if (ret)
            return ret;
    }
    // cpuhp_up_callbacks(cpu, st, min(target, BRINGUP_CPU))
    const int prev = st.state;
    const int ret = invoke_range(w, true, cpu, std::min(target, table_.anchors.bringup_cpu), false);
    if (ret) {
        reset_state(w, cpu, prev);
        invoke_range(w, false, cpu, prev, false);
    }
    return ret;
}

void Engine::control()
{
    if (run_.offsched.enabled) {
        const Who w{0, "insmod"};
        if (run_.offsched.cooperative_stop)
            note(w, fmt::format("insmod offsched: cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "
                                "\"offsched:prepare\") got step {}; smp_ops.play_dead replaced",
                                offsched_step_),
                 "A dynamic PREPARE state runs on the control CPU before cpu:bringup: the one "
                 "point where offsched can stop its service before INIT/SIPI.");
        else
            note(w, "insmod offsched: smp_ops.play_dead replaced, no BP_PREPARE_DYN stop callback");
    }
    for (const HotplugOp& op : run_.ops) {
        ++cur_op_;
        CpuhpCpuState& st = S(op.cpu);
        st.fail = op.fail_at;
        st.error_at = op.error_at;
        st.error_ret = op.error_ret;
        OpResult r;
        r.op = op;
        r.start_ns = now();
        r.ret = op.kind == HotplugOp::Kind::Offline ? cpu_down(op.cpu) : cpu_up(op.cpu);
        r.end_ns = now();
        r.final_state = st.state;
        st.fail = -1;
        st.error_at = -1;
        note(Who{0, "sh"}, fmt::format("write returns {}; cpu{}/hotplug/state = {}", r.ret, op.cpu, st.state));
        res_.ops.push_back(r);
    }
    quit_ = true;
    for (auto& s : st_) {
        s->wake.notify(sc_core::SC_ZERO_TIME);
        s->init_ev.notify(sc_core::SC_ZERO_TIME);
    }
}

} // namespace offsched::sim::hotplug::detail
