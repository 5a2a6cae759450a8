#include "backends/sim/hotplug/engine.h"

namespace offsched::sim::hotplug::detail {

// cpuhp_set_state()
int Engine::set_state(int cpu, int target)
{
    CpuhpCpuState& st = S(cpu);
    const int prev = st.state;
    const bool bringup = st.state < target;
    st.rollback = false;
    st.target = target;
    st.bringup = bringup;
    st.dying = !bringup;
    return prev;
}

// cpuhp_reset_state(): turn around and go back to prev_state.
void Engine::reset_state(const Who& w, int cpu, int prev_state)
{
    CpuhpCpuState& st = S(cpu);
    const bool bringup = !st.bringup;
    st.target = prev_state;
    if (st.rollback)
        return; // already rolling back: keep direction and state
    st.rollback = true;
    if (st.bringup)
        st.state--;
    else
        st.state++;
    st.bringup = bringup;
    st.dying = !bringup;
    note(w, fmt::format("cpuhp_reset_state: roll back cpu {} towards state {} ({}), undo starts at {}",
                        cpu, prev_state, bringup ? "startup callbacks" : "teardown callbacks", st.state),
         "A callback failed: the state machine turns around and runs the opposite callbacks of every "
         "state it already passed, in reverse order, until the CPU is where it started.");
}

// cpuhp_next_state(): skip empty states; st->state moves ahead of the callback.
bool Engine::next_state(bool bringup, int* to_run, CpuhpCpuState& st, int target)
{
    for (;;) {
        if (bringup) {
            if (st.state >= target)
                return false;
            *to_run = ++st.state;
        } else {
            if (st.state <= target)
                return false;
            *to_run = st.state--;
        }
        if (!step_empty(bringup, *to_run))
            return true;
    }
}

// cpuhp_invoke_callback()
int Engine::invoke_callback(const Who& w, int cpu, int s, bool bringup)
{
    CpuhpCpuState& st = S(cpu);
    const CpuhpState* p = step(s);
    if (st.fail == s) {
        st.fail = -1;
        note(w, fmt::format("step {} ({}) fails by injection: -EAGAIN, no trace event", s, p ? p->name : "?"),
             "hotplug/fail (st->fail) makes cpuhp_invoke_callback return -EAGAIN before the "
             "tracepoint, as if the callback had refused.");
        return -EAGAIN_;
    }
    if (step_empty(bringup, s))
        return 0;
    const std::string& fn = bringup ? p->startup : p->teardown;
    uint64_t cost = bringup ? p->startup_ns : p->teardown_ns;
    if (cost == 0)
        cost = table_.costs.default_callback_ns;
    const std::string why = callback_why(*p, bringup);
    if (p->instances >= 0) { // multi-instance: once per registered instance
        for (int i = 0; i < p->instances; ++i) {
            enter(w, cpu, st.target, s, fn, true, i == 0 ? why : "");
            wait_ns(cost / uint64_t(std::max(1, p->instances)));
            exit(w, cpu, st.state, s, 0);
        }
        return 0;
    }
    enter(w, cpu, st.target, s, fn, false, why);
    int ret = 0;
    const KnownCallback* cb = bringup ? p->startup_cb : p->teardown_cb;
    switch (cb ? cb->engine : EngineStep::None) {
    case EngineStep::BringupCpu: ret = bringup_cpu(w, cpu); break;
    case EngineStep::TakedownCpu: ret = takedown_cpu(w, cpu); break;
    case EngineStep::OffschedPrepare: ret = offsched_cpu_prepare(w, cpu); break;
    case EngineStep::None:
        wait_ns(cost);
        if (st.error_at == s) {
            st.error_at = -1;
            ret = st.error_ret;
            note(w, fmt::format("{} refuses: returns {}", fn, ret),
                 "A subsystem callback may veto an ONLINE/PREPARE transition by returning an error.");
        } else if (cb && cb->act) {
            PartCall pc{m_, cpu, w.cpu, [this, &w](const std::string& t, const std::string& y) { note(w, t, y); }};
            cb->act(pc);
        }
        break;
    }
    exit(w, cpu, st.state, s, ret);
    return ret;
}

int Engine::invoke_range(const Who& w, bool bringup, int cpu, int target, bool nofail)
{
    CpuhpCpuState& st = S(cpu);
    int s = 0, ret = 0;
    while (next_state(bringup, &s, st, target)) {
        const int err = invoke_callback(w, cpu, s, bringup);
        if (!err)
            continue;
        if (nofail) {
            note(w, fmt::format("CPU {} {} state {} ({}) failed ({})", cpu, bringup ? "UP" : "DOWN",
                                step(s)->name, s, err));
            ret = -1;
        } else {
            ret = err;
            break;
        }
    }
    return ret;
}

// __cpuhp_kick_ap(): hand the AP states to cpuhp/N and wait for it.
void Engine::kick_ap_raw(const Who& w, int cpu)
{
    CpuhpCpuState& st = S(cpu);
    if (st.state == st.target)
        return;
    st.result = 0;
    st.should_run = true;
    st.wake.notify(sc_core::sc_time(double(table_.costs.thread_wakeup_ns), sc_core::SC_NS));
    (st.bringup ? st.done_up : st.done_down).wait();
}

// cpuhp_kick_ap()
int Engine::kick_ap(const Who& w, int cpu, int target)
{
    CpuhpCpuState& st = S(cpu);
    const int prev = set_state(cpu, target);
    kick_ap_raw(w, cpu);
    const int ret = st.result;
    if (ret) {
        reset_state(w, cpu, prev);
        kick_ap_raw(w, cpu);
    }
    return ret;
}

// cpuhp_kick_ap_work(): traced as a pseudo-callback at the current state.
int Engine::kick_ap_work(const Who& w, int cpu)
{
    CpuhpCpuState& st = S(cpu);
    const int prev = st.state;
    enter(w, cpu, st.target, prev, "cpuhp_kick_ap_work", false,
          fmt::format("The control CPU cannot run ONLINE-section callbacks: they must run on cpu {} "
                      "itself. It wakes the cpuhp/{} thread and waits until it reached state {}.",
                      cpu, cpu, st.target));
    const int ret = kick_ap(w, cpu, st.target);
    exit(w, cpu, st.state, prev, ret);
    return ret;
}

// cpuhp_thread_fun(), looped by the smpboot thread while should_run.
void Engine::cpuhp_thread(int cpu)
{
    const Who w{cpu, tname("cpuhp", cpu)};
    CpuhpCpuState& st = S(cpu);
    for (;;) {
        while (!(st.should_run && !st.thread_parked) && !quit_)
            sc_core::wait(st.wake);
        if (quit_)
            return;
        const bool bringup = st.bringup;
        int s = 0;
        st.should_run = next_state(bringup, &s, st, st.target);
        if (st.should_run) {
            // (The kernel disables interrupts around atomic states reached this way; the
            // model has no interrupts to disable on this path.)
            st.result = invoke_callback(w, cpu, s, bringup);
            if (st.result) {
                if (st.rollback)
                    note(w, "WARN: a callback failed during rollback: no way forward, no way back");
                st.should_run = false;
            }
        }
        if (!st.should_run) {
            wait_ns(table_.costs.completion_ns);
            (bringup ? st.done_up : st.done_down).complete();
        }
    }
}

} // namespace offsched::sim::hotplug::detail
