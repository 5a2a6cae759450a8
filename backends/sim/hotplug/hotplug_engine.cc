#include "backends/sim/hotplug/hotplug_engine.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <memory>

#include <fmt/format.h>
#include <systemc>

#include "lib/input/input_error.h"

namespace offsched::sim::hotplug {

namespace {

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

std::string tname(const char* base, int cpu) { return fmt::format("{}/{}", base, cpu); }

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
    int set_state(int cpu, int target)
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
    void reset_state(const Who& w, int cpu, int prev_state)
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
    bool next_state(bool bringup, int* to_run, CpuhpCpuState& st, int target)
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
    int invoke_callback(const Who& w, int cpu, int s, bool bringup)
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
        if (fn == "bringup_cpu")
            ret = bringup_cpu(w, cpu);
        else if (fn == "takedown_cpu")
            ret = takedown_cpu(w, cpu);
        else if (fn == kOffschedCallback)
            ret = offsched_cpu_prepare(w, cpu);
        else {
            wait_ns(cost);
            if (st.error_at == s) {
                st.error_at = -1;
                ret = st.error_ret;
                note(w, fmt::format("{} refuses: returns {}", fn, ret),
                     "A subsystem callback may veto an ONLINE/PREPARE transition by returning an error.");
            } else if (const KnownCallback* k = find_callback(fn); k && k->act) {
                PartCall pc{m_, cpu, w.cpu, [this, &w](const std::string& t, const std::string& y) { note(w, t, y); }};
                k->act(pc);
            }
        }
        exit(w, cpu, st.state, s, ret);
        return ret;
    }

    int invoke_range(const Who& w, bool bringup, int cpu, int target, bool nofail)
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
    void kick_ap_raw(const Who& w, int cpu)
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
    int kick_ap(const Who& w, int cpu, int target)
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
    int kick_ap_work(const Who& w, int cpu)
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
    void cpuhp_thread(int cpu)
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
    int stop_machine(const Who& w, int cpu)
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

    void multi_cpu_stop(std::shared_ptr<StopMachine> sm, int k, int cpu)
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
    int take_cpu_down(const Who& w, int cpu)
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

    void migrate_irqs(const Who& w, int cpu)
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
    void idle_dead(int cpu)
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

    void play_dead_common(const Who& w, int cpu)
    {
        S(cpu).death_reported = true;
        note(w, "play_dead_common: idle_task_exit, cpu_report_death, local_irq_disable",
             "The CPU tells the control CPU it is dead (cpu_wait_death polls for this) and disables "
             "interrupts for good.");
    }

    void play_dead(const Who& w, int cpu)
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
    int takedown_cpu(const Who& w, int cpu)
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

    // ---------------------------------------------------------------- bringup machinery
    int bringup_cpu(const Who& w, int cpu)
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
    void start_secondary(int cpu)
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
    int offsched_cpu_prepare(const Who& w, int cpu)
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

    // ---------------------------------------------------------------- operations
    int cpu_down(int cpu)
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

    int cpu_up(int cpu)
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

    void control()
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

// An error in operation i, as every input error reads: "file:line:column: field
// 'hotplug.ops[i].cpu': what" (without the place for a run built in code).
std::string op_error(const HotplugRun& run, size_t i, const char* field, const std::string& what)
{
    const HotplugOp& op = run.ops[i];
    const std::string name = fmt::format("hotplug.ops[{}].{}", i, field);
    if (run.file.empty() || !op.line) return fmt::format("{}: {}", name, what);
    return tools::InputError({run.file, op.line, op.column}, name, what).what();
}

// The checks fail_store() (kernel/cpu.c) applies to /sys/.../hotplug/fail, plus the model's own.
bool validate(const CpuhpTable& t, const HotplugRun& run, std::string* error)
{
    if (run.ncpus < 2 || run.ncpus > 64) {
        *error = fmt::format("{}cpus: {} is outside 2..64", run.file.empty() ? "" : run.file + ": ", run.ncpus);
        return false;
    }
    if (run.offsched.enabled && (run.offsched.cpu < 1 || run.offsched.cpu >= run.ncpus)) {
        *error = fmt::format("{}offsched.cpu: {} is not a hot-pluggable CPU (1..{})",
                             run.file.empty() ? "" : run.file + ": ", run.offsched.cpu, run.ncpus - 1);
        return false;
    }
    std::vector<bool> online(run.ncpus, true);
    for (size_t i = 0; i < run.ops.size(); ++i) {
        const HotplugOp& op = run.ops[i];
        const bool down = op.kind == HotplugOp::Kind::Offline;
        if (op.cpu < 1 || op.cpu >= run.ncpus) {
            *error = op_error(run, i, "cpu", fmt::format("{} is not a hot-pluggable CPU (1..{}; cpu 0 has no online "
                                                         "file on x86 without cpu0_hotplug)", op.cpu, run.ncpus - 1));
            return false;
        }
        if (online[op.cpu] != down) {
            *error = op_error(run, i, "cpu", fmt::format("cpu {} is already {}", op.cpu, down ? "offline" : "online"));
            return false;
        }
        if (op.fail_at >= 0) {
            const CpuhpState* s = t.find(op.fail_at);
            std::string why;
            if (!s || (s->startup.empty() && s->teardown.empty()))
                why = "has no callbacks (the kernel answers EINVAL)";
            else if (t.anchors.ap_idle_dead <= op.fail_at && op.fail_at < t.anchors.ap_online)
                why = "is a STARTING/DYING state, which cannot fail (EINVAL)";
            else if (down && op.fail_at <= t.anchors.bringup_cpu)
                why = "is a DEAD state or cpu:bringup, which cannot fail on the way down (EINVAL)";
            else if ((down ? s->teardown : s->startup).empty())
                why = fmt::format("has no {} callback: this {} never reaches it (the kernel would leave "
                                  "the failure armed for a later operation)", down ? "teardown" : "startup",
                                  down ? "offline" : "online");
            if (!why.empty()) {
                *error = op_error(run, i, "fail_at", fmt::format("step {} {}", op.fail_at, why));
                return false;
            }
        }
        if (op.error_at >= 0) {
            const CpuhpState* s = t.find(op.error_at);
            std::string why;
            if (!s || (down ? s->teardown : s->startup).empty())
                why = fmt::format("has no {} callback", down ? "teardown" : "startup");
            else if (s->instances >= 0)
                why = "is multi-instance (inject with fail_at instead)";
            else if (t.anchors.ap_idle_dead <= op.error_at && op.error_at < t.anchors.ap_online)
                why = "is a STARTING/DYING state, which must not fail";
            else if (op.error_at == t.anchors.bringup_cpu || op.error_at == t.anchors.teardown_cpu)
                why = "is the state machine's own cpu:bringup/cpu:teardown";
            else if (down && op.error_at <= t.anchors.bringup_cpu)
                why = "is a DEAD callback, which must not fail";
            if (!why.empty()) {
                *error = op_error(run, i, "error_at", fmt::format("step {} {}", op.error_at, why));
                return false;
            }
            if (op.error_ret >= 0) {
                *error = op_error(run, i, "error_ret", fmt::format("{} must be a negative errno", op.error_ret));
                return false;
            }
        }
        // An op that fails leaves the CPU where it was (rollback), so the tracked state only
        // changes when no failure is injected.
        if (op.fail_at < 0 && op.error_at < 0)
            online[op.cpu] = !down;
    }
    return true;
}

} // namespace

bool run_hotplug(const CpuhpTable& table_in, const HotplugRun& run, HotplugResult* out, std::string* error)
{
    if (!validate(table_in, run, error))
        return false;
    CpuhpTable table = table_in;
    int offsched_step = -1;
    if (run.offsched.enabled && run.offsched.cooperative_stop) {
        offsched_step = table.free_bp_prepare_dyn_slot();
        if (offsched_step < 0) {
            *error = table.file + ": no free CPUHP_BP_PREPARE_DYN slot for offsched's stop callback";
            return false;
        }
        CpuhpState s;
        s.step = offsched_step;
        s.name = "offsched:prepare";
        s.enum_name = fmt::format("CPUHP_BP_PREPARE_DYN+{}", offsched_step - table.anchors.bp_prepare_dyn);
        s.section = Section::Prepare;
        s.startup = kOffschedCallback;
        table.states.emplace(s.step, s);
        out->registered.push_back(s);
    }
    setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
    Engine engine(table, run);
    engine.offsched_step_ = offsched_step;
    engine.start();
    sc_core::sc_start();
    std::vector<CpuhpState> registered = std::move(out->registered);
    *out = engine.take_result();
    out->registered = std::move(registered);
    return true;
}

} // namespace offsched::sim::hotplug
