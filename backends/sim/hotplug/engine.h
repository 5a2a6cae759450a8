// The cpuhp engine of the hotplug model: struct cpuhp_cpu_state and the functions of
// kernel/cpu.c (and the arch's smpboot) that walk it, as one SystemC process per actor. The
// class is declared here; its functions live by concern, as kernel/cpu.c groups them:
//   engine_cpuhp.cc     the state machine: set/reset/next state, callbacks, cpuhp/N, kicks
//   engine_teardown.cc  stop_machine, take_cpu_down, the dead CPU's idle and play_dead
//   engine_bringup.cc   INIT/SIPI, start_secondary, offsched's BP_PREPARE_DYN callback
//   engine_control.cc   _cpu_down, _cpu_up and the scenario's operations
// Internal to backends/sim/hotplug (hotplug_engine.h is the interface).
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <systemc>

#include "backends/sim/hotplug/hotplug_engine.h"
#include "backends/sim/hotplug/percpu_parts.h"

namespace offsched::sim::hotplug::detail {

constexpr int EAGAIN_ = 11, EBUSY_ = 16, ECANCELED_ = 125;
// As %ps prints a module's function in the trace: backends/kernel/takeover.c's callback.
constexpr const char* kOffschedCallback = "offsched_cpu_prepare [offsched]";

// The kernel's struct completion: complete() may come before wait().
struct Completion {
    int done = 0;
    sc_core::sc_event ev;
    void complete()
    {
        ++done;
        ev.notify(sc_core::SC_ZERO_TIME);
    }
    void wait()
    {
        while (done == 0)
            sc_core::wait(ev);
        --done;
    }
};

// struct cpuhp_cpu_state (kernel/cpu.c) plus what the model needs to know about the CPU.
struct CpuhpCpuState {
    int state = 0, target = 0, fail = -1;
    bool should_run = false, rollback = false, bringup = false;
    int result = 0;
    Completion done_up, done_down;
    sc_core::sc_event wake;       // wake_up_process(cpuhp/N) / kthread_unpark
    bool thread_parked = false;
    bool dying = false;           // cpu_dying_mask
    bool death_reported = false;  // cpu_report_death() from play_dead_common
    bool init_pending = false;    // INIT/SIPI sent, not yet consumed by the AP
    sc_core::sc_event init_ev;
    sc_core::sc_event online_ev;
    int error_at = -1, error_ret = 0;
    // offsched service on this CPU
    bool service_running = false, stop_requested = false;
    sc_core::sc_event stop_ack_ev;
};

struct Who {
    int cpu;
    std::string task;
};

inline std::string tname(const char* base, int cpu) { return fmt::format("{}/{}", base, cpu); }

class Engine {
public:
    Engine(const CpuhpTable& t, const HotplugRun& r) : table_(t), run_(r)
    {
        m_ = make_default_state(r.ncpus);
        for (int c = 0; c < r.ncpus; ++c) {
            st_.push_back(std::make_unique<CpuhpCpuState>());
            st_.back()->state = st_.back()->target = table_.anchors.online;
        }
        if (r.ncpus > 2)
            m_.cpu[1].irqs.push_back(4); // a legacy (unmanaged) IRQ, ttyS0, affine to cpu 1
    }

    void start()
    {
        t0_ = sc_core::sc_time_stamp();
        for (int c = 0; c < run_.ncpus; ++c)
            sc_core::sc_spawn([this, c] { cpuhp_thread(c); }, tname("cpuhp", c).c_str());
        sc_core::sc_spawn([this] { control(); }, "control");
    }

    HotplugResult take_result()
    {
        res_.kernel = table_.kernel;
        res_.machine = m_;
        for (auto& s : st_)
            res_.cpuhp_state.push_back(s->state);
        return std::move(res_);
    }

private:
    // ---------------------------------------------------------------- trace helpers
    uint64_t now() const { return (sc_core::sc_time_stamp() - t0_).value() / sc_core::sc_time(1, sc_core::SC_NS).value(); }
    void wait_ns(uint64_t ns)
    {
        if (ns)
            sc_core::wait(sc_core::sc_time(double(ns), sc_core::SC_NS));
    }
    CpuhpCpuState& S(int cpu) { return *st_[cpu]; }
    const CpuhpState* step(int s) const { return table_.find(s); }

    TraceEvent base(const Who& w, EventKind k)
    {
        TraceEvent e;
        e.t_ns = now();
        e.on_cpu = w.cpu;
        e.task = w.task;
        e.kind = k;
        // include/linux/tracepoint.h: a tracepoint fires only if cpu_online(smp_processor_id()).
        e.traced = m_.online[w.cpu];
        e.op = cur_op_;
        return e;
    }
    void note(const Who& w, const std::string& text, const std::string& why = "")
    {
        TraceEvent e = base(w, EventKind::Note);
        e.text = text;
        e.why = why;
        res_.events.push_back(e);
    }
    void enter(const Who& w, int cpu, int target, int stepno, const std::string& fn, bool multi,
               const std::string& why)
    {
        TraceEvent e = base(w, multi ? EventKind::MultiEnter : EventKind::Enter);
        e.cpu = cpu;
        e.target_or_state = target;
        e.step = stepno;
        e.fn = fn;
        e.why = why;
        res_.events.push_back(e);
    }
    void exit(const Who& w, int cpu, int state, int stepno, int ret)
    {
        TraceEvent e = base(w, EventKind::Exit);
        e.cpu = cpu;
        e.target_or_state = state;
        e.step = stepno;
        e.ret = ret;
        res_.events.push_back(e);
    }

    // ---------------------------------------------------------------- cpuhp core (kernel/cpu.c)
    bool step_empty(bool bringup, int s) const
    {
        const CpuhpState* p = step(s);
        return !p || (bringup ? p->startup.empty() : p->teardown.empty());
    }

    // cpuhp_set_state()
    int set_state(int cpu, int target);

    // cpuhp_reset_state(): turn around and go back to prev_state.
    void reset_state(const Who& w, int cpu, int prev_state);

    // cpuhp_next_state(): skip empty states; st->state moves ahead of the callback.
    bool next_state(bool bringup, int* to_run, CpuhpCpuState& st, int target);

    // cpuhp_invoke_callback()
    int invoke_callback(const Who& w, int cpu, int s, bool bringup);

    int invoke_range(const Who& w, bool bringup, int cpu, int target, bool nofail);

    // __cpuhp_kick_ap(): hand the AP states to cpuhp/N and wait for it.
    void kick_ap_raw(const Who& w, int cpu);

    // cpuhp_kick_ap()
    int kick_ap(const Who& w, int cpu, int target);

    // cpuhp_kick_ap_work(): traced as a pseudo-callback at the current state.
    int kick_ap_work(const Who& w, int cpu);

    // cpuhp_thread_fun(), looped by the smpboot thread while should_run.
    void cpuhp_thread(int cpu);

    // ---------------------------------------------------------------- teardown machinery
    int online_count() const { return int(std::count(m_.online.begin(), m_.online.end(), true)); }
    int first_online_other_than(int cpu) const
    {
        for (int i = 0; i < run_.ncpus; ++i)
            if (i != cpu && m_.online[i])
                return i;
        return -1;
    }

    struct StopMachine {
        int stage = 0, acks = 0, threads = 0;
        sc_core::sc_event stage_ev;
        Completion done;
        int ret = 0;
    };

    // stop_machine_cpuslocked(take_cpu_down, cpumask_of(cpu)): multi_cpu_stop on every online CPU.
    int stop_machine(const Who& w, int cpu);

    void multi_cpu_stop(std::shared_ptr<StopMachine> sm, int k, int cpu);

    // take_cpu_down() on the dying CPU, inside stop_machine, interrupts off.
    int take_cpu_down(const Who& w, int cpu);

    void migrate_irqs(const Who& w, int cpu);

    // The idle task of the dead CPU: do_idle() -> cpuhp_report_idle_dead() -> play_dead().
    void idle_dead(int cpu);

    void play_dead_common(const Who& w, int cpu);

    void play_dead(const Who& w, int cpu);

    // takedown_cpu(): the CPUHP_TEARDOWN_CPU teardown callback, on the control CPU.
    int takedown_cpu(const Who& w, int cpu);

    // ---------------------------------------------------------------- bringup machinery
    int bringup_cpu(const Who& w, int cpu);

    // start_secondary() on the AP after INIT/SIPI.
    void start_secondary(int cpu);

    // The BP_PREPARE_DYN startup callback offsched registers: runs on the control CPU before
    // bringup_cpu sends INIT/SIPI.
    int offsched_cpu_prepare(const Who& w, int cpu);

    // ---------------------------------------------------------------- operations
    int cpu_down(int cpu);

    int cpu_up(int cpu);

    void control();

public:
    int offsched_step_ = -1;

private:
    const CpuhpTable& table_;
    const HotplugRun& run_;
    PerCpuState m_;
    std::vector<std::unique_ptr<CpuhpCpuState>> st_;
    HotplugResult res_;
    sc_core::sc_time t0_;
    bool quit_ = false;
    int cur_op_ = -1;
    bool claimed_ = true; // offsched still claims its CPU (cleared by a cooperative stop)
};

} // namespace offsched::sim::hotplug::detail
