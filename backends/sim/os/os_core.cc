#include "backends/sim/os/os_core.h"

#include <algorithm>

#include "backends/sim/os/os_rt_tasks.h"

#include "backends/sim/trace/trace_sink.h"

namespace offsched::sim {

OsCore::OsCore(sc_core::sc_module_name name, uint32_t id, const Env& env)
    : sc_module(name), id_(id), env_(env), os_(env.p->os), napi_scheduled_(env.nic->queues() + 1, 0)
{
    SC_METHOD(run);
    SC_METHOD(tick);
    rx_mode_ = static_cast<RxMode>(os_.rx_mode);
    if (env.has_sshd) env.rx->app().attach(id, this);
}

void OsCore::tick()
{
    if (tick_started_) deliver({IrqKind::Tick, 0});
    tick_started_ = true;
    next_trigger(Timebase::ns(1000000000ull / env_.p->machine.tick_hz));
}

void OsCore::deliver(const IrqEvent& e)
{
    pending_.push_back(e);
    irq_ev_.notify(sc_core::SC_ZERO_TIME);
}

void OsCore::enqueue_accept(uint32_t conn)
{
    accept_q_.push_back(conn);
    if (!sshd_.runnable) wake(Task::Sshd);
    irq_ev_.notify(sc_core::SC_ZERO_TIME); // as a reschedule IPI when it comes from another core
}

void OsCore::run()
{
    const uint64_t now = now_ps();
    if (act_ == Act::Chunk) end_chunk();
    else if (act_ == Act::Interruptible) end_interruptible(now);
    else if (act_ == Act::RtRun) end_rt_run(now);
    dispatch(now);
}

void OsCore::charge_vruntime(uint64_t ps)
{
    if (cur_ != Task::None) ts(cur_).vruntime += ps / 1000;
}

void OsCore::chunk(CpuMode m, uint64_t cycles, const char* rt_label)
{
    if (cycles == 0) cycles = 1; // every activity takes time: no zero-time loops
    const uint64_t ps = env_.tb.cycles_to_ps(cycles);
    env_.usage->cycles[static_cast<uint32_t>(m)] += cycles;
    trace::current().core_mode(now_ps() / 1000, id_, m,
                               rt_label ? rt_label : m == CpuMode::User ? (env_.rx->app().enabled() ? "app" : "sshd") : nullptr);
    if (!rt_label && (m == CpuMode::Ksoftirqd || m == CpuMode::User)) charge_vruntime(ps);
    act_ = Act::Chunk;
    chunk_mode_ = m;
    chunk_cycles_ = cycles;
    chunk_end_ps_ = now_ps() + ps;
    next_trigger(Timebase::ps(ps));
}

void OsCore::end_chunk()
{
    act_ = Act::Start;
    for (uint32_t napi : completions_) {
        if (napi == kHostNapi) {
            // napi_complete_done: arm the ring for the next doorbell; frames that raced in keep
            // the poll scheduled (the doorbell protocol, services/ring/doorbell_arm.h).
            if (env_.host_ring->rearm()) napi_schedule(kHostNapi);
        } else {
            env_.nic->enable_irq(napi);
        }
    }
    completions_.clear();
}

void OsCore::end_interruptible(uint64_t now)
{
    act_ = Act::Start;
    if (cur_ != Task::Sshd) return; // idle: booked as the remainder at the end
    const uint64_t elapsed = now - run_start_ps_;
    uint64_t done = now >= planned_end_ps_ ? sshd_remaining_ : env_.tb.ps_to_cycles(elapsed);
    if (done > sshd_remaining_) done = sshd_remaining_;
    sshd_remaining_ -= done;
    env_.usage->cycles[static_cast<uint32_t>(CpuMode::User)] += done;
    charge_vruntime(elapsed);
    if (sshd_remaining_ == 0 && user_end(now)) {
        // companion work finished (os_core_user.cc)
    } else if (sshd_remaining_ == 0 && app_batch_) {
        env_.rx->app().consumed(app_batch_, now / 1000);
        app_batch_ = 0;
    } else if (sshd_remaining_ == 0) {
        ++st_.accepts;
        env_.listener->app_done(sshd_conn_, now / 1000);
        trace::current().flow(now / 1000, sshd_conn_, trace::FlowStep::Accept, id_);
    }
}

void OsCore::napi_schedule(uint32_t napi)
{
    const uint32_t idx = napi == kHostNapi ? env_.nic->queues() : napi;
    if (!napi_scheduled_[idx]) {
        napi_scheduled_[idx] = 1;
        poll_list_.push_back(napi);
    }
    net_rx_pending_ = true; // __raise_softirq_irqoff(NET_RX_SOFTIRQ)
}

void OsCore::hardirq(const IrqEvent& e)
{
    ++st_.hardirqs;
    uint64_t cost = os_.hardirq_cycles;
    switch (e.kind) {
    case IrqKind::Nic:
        if (rx_mode_ == RxMode::IrqPerPacket) {
            // Pre-NAPI driver: the handler takes what the ring holds (up to os.irq_rx_limit, as
            // tulip_rx takes every frame the host owns) and does each frame's whole receive path
            // here; then the vector is re-armed (at the end of the chunk) and fires again, after
            // the moderation delay, if frames arrived meanwhile.
            uint32_t work = 0;
            cost += poll(e.id, os_.irq_rx_limit, &work);
            completions_.push_back(e.id);
        } else if (rx_mode_ == RxMode::BusyPoll && env_.has_sshd) {
            busy_q_.push_back(e.id); // stays masked until the reading task polls the ring dry
            if (!sshd_.runnable) wake(Task::Sshd);
        } else if (rx_mode_ == RxMode::Lrp && env_.has_sshd) {
            cost += lrp_demux(e.id);
            completions_.push_back(e.id); // re-armed at once: the demux is all the interrupt does
        } else {
            napi_schedule(e.id);
        }
        break;
    case IrqKind::Ipi:
        ++st_.ipis;
        cost = os_.ipi_cycles;
        if (e.id == kHostPathVector && env_.host_ring && rx_mode_ == RxMode::BusyPoll && env_.has_sshd) {
            busy_q_.push_back(kHostNapi); // the reading task polls the host ring (re-armed when dry)
            if (!sshd_.runnable) wake(Task::Sshd);
        } else if (e.id == kHostPathVector && env_.host_ring) {
            napi_schedule(kHostNapi);
        }
        break;
    case IrqKind::Hrtimer:
        cost = rt_ ? rt_->hrtimer_interrupt(now_ps()) : os_.hardirq_cycles;
        need_resched_ = true; // check_preempt_curr_rt; also ends __do_softirq's restarts
        break;
    case IrqKind::Tick: {
        ++st_.ticks;
        cost = os_.tick_cycles;
        // check_preempt_tick: a task that used its slice yields to a waiting one.
        const Task other = cur_ == Task::Sshd ? Task::Ksoftirqd : Task::Sshd;
        if (cur_ != Task::None && runnable(other)) {
            const uint64_t ran_ns = (now_ps() - slice_start_ps_) / 1000;
            const uint64_t ideal = os_.sched_latency_ns / 2 > os_.sched_slice_ns ? os_.sched_latency_ns / 2 : os_.sched_slice_ns;
            if (ran_ns > ideal) need_resched_ = true;
            else if (ran_ns >= os_.sched_slice_ns && ts(cur_).vruntime > ts(other).vruntime + ideal) need_resched_ = true;
        }
        break;
    }
    }
    chunk(CpuMode::Hardirq, cost);
    irq_exit_ = true;
}

void OsCore::wake(Task t)
{
    TaskState& s = ts(t);
    s.runnable = true;
    // place_entity: a sleeper comes back at most half a period behind min_vruntime.
    const uint64_t floor = min_vruntime_ > os_.sched_latency_ns / 2 ? min_vruntime_ - os_.sched_latency_ns / 2 : 0;
    if (s.vruntime < floor) s.vruntime = floor;
    if (t == Task::Ksoftirqd) ++st_.ksoftirqd_wakeups;
    // check_preempt_wakeup
    if (cur_ == Task::None) need_resched_ = true;
    else if (cur_ != t && s.vruntime + os_.sched_wakeup_gran_ns < ts(cur_).vruntime) need_resched_ = true;
}

bool OsCore::schedule(uint64_t now)
{
    need_resched_ = false;
    Task next = Task::None;
    if (sshd_.runnable && ksoftirqd_.runnable) {
        if (sshd_.vruntime != ksoftirqd_.vruntime) next = sshd_.vruntime < ksoftirqd_.vruntime ? Task::Sshd : Task::Ksoftirqd;
        else next = cur_ == Task::Ksoftirqd ? Task::Ksoftirqd : Task::Sshd;
    } else if (sshd_.runnable) {
        next = Task::Sshd;
    } else if (ksoftirqd_.runnable) {
        next = Task::Ksoftirqd;
    }
    // update_min_vruntime: monotonic, follows the smallest runnable vruntime.
    if (next != Task::None) {
        uint64_t m = ts(next).vruntime;
        if (m > min_vruntime_) min_vruntime_ = m;
    }
    slice_start_ps_ = now;
    if (next == cur_) return false;
    cur_ = next;
    if (next == Task::None) return false;
    ++st_.context_switches;
    chunk(next == Task::Sshd ? CpuMode::User : CpuMode::Ksoftirqd, os_.context_switch_cycles);
    return true;
}

uint64_t OsCore::poll(uint32_t napi, uint32_t weight, uint32_t* work)
{
    slots_.clear();
    tags_.clear();
    const bool host = napi == kHostNapi;
    *work = host ? env_.host_ring->take(weight, slots_, &tags_) : env_.nic->take(napi, weight, slots_);
    const uint64_t t0 = now_ps();
    uint64_t cycles = 0;
    gro_.flush(); // GRO holds nothing across polls (napi_complete_done / the budget's end flush it)
    for (size_t i = 0; i < slots_.size(); ++i)
        cycles += env_.rx->process(slots_[i], host, id_, (t0 + env_.tb.cycles_to_ps(cycles)) / 1000, &gro_,
                                   host ? &tags_[i] : nullptr);
    st_.packets += *work;
    ++st_.napi_polls;
    return cycles;
}

// One step of __do_softirq -> net_rx_action: either starts one NAPI poll chunk (true) or ends
// the round/invocation (false) applying MAX_SOFTIRQ_RESTART and MAX_SOFTIRQ_TIME.
bool OsCore::frame_step(uint64_t now)
{
    for (;;) {
        if (!frame_.round_active) {
            if (!net_rx_pending_) { frame_.active = false; return false; }
            net_rx_pending_ = false;
            frame_.round_active = true;
            frame_.budget = os_.netdev_budget;
            frame_.round_end_ps = now + os_.netdev_budget_ns * 1000;
        }
        if (!poll_list_.empty() && frame_.budget > 0 && now < frame_.round_end_ps) {
            const uint32_t napi = poll_list_.front();
            poll_list_.pop_front();
            uint32_t work = 0;
            const uint64_t cycles = poll(napi, os_.napi_budget, &work);
            if (work >= os_.napi_budget) {
                poll_list_.push_back(napi); // used its whole weight: stays scheduled
            } else {
                napi_scheduled_[napi == kHostNapi ? env_.nic->queues() : napi] = 0;
                completions_.push_back(napi); // napi_complete_done at the end of the chunk
            }
            frame_.budget -= work;
            chunk(frame_.owner == Owner::IrqExit ? CpuMode::Softirq : CpuMode::Ksoftirqd, cycles);
            return true;
        }
        frame_.round_active = false;
        if (!poll_list_.empty()) {
            ++st_.time_squeeze;
            net_rx_pending_ = true; // net_rx_action re-raises NET_RX for the leftovers
        }
        if (!net_rx_pending_) { frame_.active = false; return false; }
        if (now < frame_.start_ps + os_.softirq_max_ns * 1000 && !need_resched_ && --frame_.restarts_left > 0) {
            ++st_.softirq_restarts;
            continue;
        }
        if (frame_.owner == Owner::IrqExit && !ksoftirqd_.runnable) wake(Task::Ksoftirqd);
        frame_.active = false;
        return false;
    }
}

void OsCore::dispatch(uint64_t now)
{
    for (;;) {
        if (!pending_.empty()) {
            const IrqEvent e = pending_.front();
            pending_.pop_front();
            hardirq(e);
            return;
        }
        if (irq_exit_) {
            irq_exit_ = false;
            // invoke_softirq: not from inside a softirq, and (6.1) not while ksoftirqd is runnable.
            if (!frame_.active && net_rx_pending_ && !ksoftirqd_.runnable && rx_mode_ == RxMode::Ksoftirqd) {
                wake(Task::Ksoftirqd); // threaded NAPI: softirq work never runs on irq_exit
            } else if (!frame_.active && net_rx_pending_ && !ksoftirqd_.runnable) {
                frame_ = Frame{true, Owner::IrqExit, now, os_.softirq_max_restart, false, 0, 0};
                ++st_.softirq_frames;
            }
        }
        if (frame_.active) {
            if (frame_step(now)) return;
            continue;
        }
        if (rt_ && rt_dispatch(now)) return; // the RT class runs before any CFS task
        if (need_resched_ || cur_ == Task::None || !runnable(cur_)) {
            if (schedule(now)) return;
        }
        if (cur_ == Task::Ksoftirqd) {
            if (net_rx_pending_) {
                frame_ = Frame{true, Owner::Ksoftirqd, now, os_.softirq_max_restart, false, 0, 0};
                ++st_.ksoftirqd_frames;
                continue;
            }
            ksoftirqd_.runnable = false;
            need_resched_ = true;
            continue;
        }
        if (cur_ == Task::Sshd) {
            if (sshd_remaining_ == 0 && user_begin()) {
                // companion work: runs interruptibly below, like an accept
            } else if (sshd_remaining_ == 0 && accept_q_.empty() && app_begin()) {
                if (act_ == Act::Chunk) return; // a busy poll: protocol work in this task
            } else if (sshd_remaining_ == 0) {
                if (accept_q_.empty()) {
                    sshd_.runnable = false;
                    need_resched_ = true;
                    continue;
                }
                sshd_conn_ = accept_q_.front();
                accept_q_.pop_front();
                env_.listener->accepted_one();
                const uint64_t app = env_.listener->app_cycles();
                sshd_remaining_ = app ? app : 1;
            }
            act_ = Act::Interruptible;
            trace::current().core_mode(now / 1000, id_, CpuMode::User, env_.rx->app().enabled() ? "app" : "sshd");
            run_start_ps_ = now;
            const uint64_t ps = env_.tb.cycles_to_ps(sshd_remaining_);
            planned_end_ps_ = now + ps;
            next_trigger(Timebase::ps(ps), irq_ev_);
            return;
        }
        act_ = Act::Interruptible; // idle until an interrupt (or a wakeup from another core)
        trace::current().core_mode(now / 1000, id_, CpuMode::Idle);
        run_start_ps_ = now;
        next_trigger(irq_ev_);
        return;
    }
}

void OsCore::finish(uint64_t end_ps)
{
    uint64_t* cyc = env_.usage->cycles;
    if (act_ == Act::Chunk && chunk_end_ps_ > end_ps) {
        const uint64_t undone = env_.tb.ps_to_cycles(chunk_end_ps_ - end_ps);
        cyc[static_cast<uint32_t>(chunk_mode_)] -= undone < chunk_cycles_ ? undone : chunk_cycles_;
    } else if (act_ == Act::Interruptible && cur_ == Task::Sshd) {
        cyc[static_cast<uint32_t>(CpuMode::User)] += env_.tb.ps_to_cycles(end_ps - run_start_ps_);
    } else if (act_ == Act::RtRun) {
        cyc[static_cast<uint32_t>(CpuMode::User)] += std::min(env_.tb.ps_to_cycles(end_ps - run_start_ps_), rt_run_cycles_);
    }
    uint64_t busy = 0;
    for (uint32_t m = 0; m < static_cast<uint32_t>(CpuMode::Count); ++m) busy += cyc[m];
    const uint64_t total = env_.tb.ps_to_cycles(end_ps);
    cyc[static_cast<uint32_t>(CpuMode::Idle)] += total > busy ? total - busy : 0;
}

} // namespace offsched::sim
