#include "backends/sim/offload/offload_core.h"

#include <algorithm>
#include <stdexcept>

#include "backends/sim/trace/trace_sink.h"

namespace offsched::sim {

OffloadCore::OffloadCore(sc_core::sc_module_name name, uint32_t id, const Env& env)
    : sc_module(name), id_(id), env_(env), clock_(env.tb, time_), core_(id)
{
    for (SimNicQueue* q : env_.queues) {
        q->follow(&time_);
        queues_.push_back(q);
    }
    const ServiceKind& k = *env.kind;
    storage_.reset(new unsigned char[k.object_size + k.object_align]);
    void* p = storage_.get();
    size_t space = k.object_size + k.object_align;
    p = std::align(k.object_align, k.object_size, p, space);
    ServiceEnv se;
    se.clock = &clock_;
    se.core = &core_;
    se.queues = queues_.data();
    se.queue_count = static_cast<u32>(queues_.size());
    se.host = env.host;
    // What this config needs beyond queues: memory (64-byte aligned: new of u64 gives 16, so
    // over-allocate and align) and the host's frames (the machine built them: check_design).
    const ServiceNeeds needs = k.needs(env.config->data());
    if (needs.arena_bytes) {
        arena_.reset(new uint64_t[needs.arena_bytes / 8 + 16]());
        void* a = arena_.get();
        size_t room = needs.arena_bytes + 128;
        se.arena = std::align(64, needs.arena_bytes, a, room);
        se.arena_bytes = needs.arena_bytes;
    }
    se.host_tx = needs.host_tx ? env.host_tx : nullptr;
    se.data = config_data(env.config->data(), k.config_size, env.config->size());
    svc_ = k.create(p, se, env.config->data());
    if (!svc_) throw std::runtime_error(std::string("service '") + k.name + "' could not be created");
    for (SimNicQueue* q : env_.queues) injected_ |= q->inject_event();
    if (env_.host_tx) injected_ |= env_.host_tx->ready_event();
    SC_METHOD(run);
}

// The first poll (a whole number of relax periods from now) at or after the next frame arrival.
uint64_t OffloadCore::idle_until_ps(uint64_t now, uint64_t relax_ps) const
{
    if (env_.host_tx && !env_.host_tx->empty()) return now + relax_ps; // the host has frames waiting
    uint64_t next = ~0ull;
    for (SimNicQueue* q : env_.queues) next = std::min(next, q->next_arrival_ns(now / 1000));
    if (next == ~0ull) return ~0ull;
    const uint64_t at = next * 1000;
    if (at <= now + relax_ps) return now + relax_ps;
    return now + (at - now + relax_ps - 1) / relax_ps * relax_ps;
}

// Step batching: the step that would start at `at` may run now, in this activation, if nothing
// else in the model can act before it starts (no pending event or runnable process before `at`)
// and the run has not ended. It then sees exactly the state it would see if activated at `at`:
// the NIC rings are functions of time, and everything it hands to others (host ring frames,
// doorbell IPIs, SYN-ACKs, rtop datagrams) carries its own time, not SystemC's.
bool OffloadCore::may_run_ahead(uint64_t sc_now, uint64_t at) const
{
    // Only where the service owns the NIC (offload.owns_nic), the case batching is for: see
    // docs/MODEL.md, "Step batching", for why designs whose NIC stays with the OS keep one
    // activation per step.
    if (!env_.p->run.step_batching || !env_.p->offload.owns_nic || at >= env_.p->run.duration_ns * 1000) return false;
    return at - sc_now < sc_core::sc_time_to_pending_activity().value();
}

// Services are never deleted through the interface (no virtual destructor in the kernel build);
// their storage is plain bytes owned here.
OffloadCore::~OffloadCore() = default;

void OffloadCore::run()
{
    const OffloadParams& o = env_.p->offload;
    const uint64_t relax_ps = o.relax_ns * 1000;
    const uint64_t relax_cycles = env_.tb.ps_to_cycles(relax_ps);
    time_.latch();
    const uint64_t sc_now = time_.ps;
    if (env_.host) env_.host->follow(&time_);
    if (sleeping_) {
        // Woken by a scheduled arrival (or the planned wake): book the empty polls that would
        // have run, exactly as polling would (whole relax periods), and resume on their grid.
        sleeping_ = false;
        const uint64_t slept = sc_now - sleep_start_ps_;
        const uint64_t periods = (slept + relax_ps - 1) / relax_ps;
        env_.usage->cycles[static_cast<uint32_t>(CpuMode::Idle)] += periods * relax_cycles;
        if (periods * relax_ps > slept) {
            step_work_ = 0;
            step_idle_ = relax_cycles;
            busy_end_ps_ = sleep_start_ps_ + periods * relax_ps;
            next_trigger(Timebase::ps(busy_end_ps_ - sc_now));
            return;
        }
    }
    for (;;) {
        const uint64_t now = time_.ps; // this step's time: SystemC's, or ahead of it when batched
        // A reload falls between two steps, as on the kernel backend; a sleeping core takes it at
        // its next step (no frame came meanwhile).
        while (env_.reloads && next_reload_ < env_.reloads->size() && (*env_.reloads)[next_reload_].at_ns * 1000 <= now) {
            const std::vector<uint8_t>& blob = (*env_.reloads)[next_reload_++].config;
            svc_->reload(blob.data(), config_data(blob.data(), env_.kind->config_size, blob.size()));
        }
        const StepResult r = svc_->step(o.burst);
        ++steps_;
        if (r.idle()) core_.relax();
        uint64_t work = env_.host ? env_.host->take_doorbells() * o.doorbell_cycles : 0;
        if (!r.idle()) work += o.step_cycles + uint64_t{r.packets} * o.packet_cycles + uint64_t{r.work_units} * o.work_unit_cycles;
        const uint64_t idle = core_.take_relax() ? relax_cycles : 0;
        env_.usage->cycles[static_cast<uint32_t>(CpuMode::Service)] += work;
        env_.usage->cycles[static_cast<uint32_t>(CpuMode::Idle)] += idle;
        step_idle_ = idle;
        step_work_ = work;
        if (work) trace::current().core_mode(now / 1000, id_, CpuMode::Service);
        if (idle) trace::current().core_mode((now + env_.tb.cycles_to_ps(work)) / 1000, id_, CpuMode::Idle);
        if (r.idle() && work == 0 && o.idle_skip) {
            const uint64_t until = idle_until_ps(now, relax_ps);
            if (until > now + relax_ps) { // nothing before the next poll after this one: sleep
                sleeping_ = true;
                sleep_start_ps_ = now;
                env_.usage->cycles[static_cast<uint32_t>(CpuMode::Idle)] -= idle;
                busy_end_ps_ = 0;
                if (until == ~0ull) next_trigger(injected_);
                else next_trigger(Timebase::ps(until - sc_now), injected_);
                return;
            }
        }
        const uint64_t total = work + idle ? work + idle : 1;
        busy_end_ps_ = now + env_.tb.cycles_to_ps(total);
        if (!may_run_ahead(sc_now, busy_end_ps_)) {
            next_trigger(Timebase::ps(busy_end_ps_ - sc_now));
            return;
        }
        time_.ps = busy_end_ps_;
    }
}

void OffloadCore::finish(uint64_t end_ps)
{
    uint64_t* cyc = env_.usage->cycles;
    if (sleeping_) { // the polls that would have run; the last one is cut at the end below
        const uint64_t relax_ps = env_.p->offload.relax_ns * 1000;
        const uint64_t periods = (end_ps - sleep_start_ps_ + relax_ps - 1) / relax_ps;
        step_work_ = 0;
        step_idle_ = env_.tb.ps_to_cycles(relax_ps);
        cyc[static_cast<uint32_t>(CpuMode::Idle)] += periods * step_idle_;
        busy_end_ps_ = sleep_start_ps_ + periods * relax_ps;
    }
    if (busy_end_ps_ > end_ps) { // the step in progress only partly happened
        uint64_t undone = env_.tb.ps_to_cycles(busy_end_ps_ - end_ps);
        const uint64_t from_idle = undone < step_idle_ ? undone : step_idle_; // the relax comes last
        cyc[static_cast<uint32_t>(CpuMode::Idle)] -= from_idle;
        undone -= from_idle;
        cyc[static_cast<uint32_t>(CpuMode::Service)] -= undone < step_work_ ? undone : step_work_;
    }
    uint64_t busy = 0;
    for (uint32_t m = 0; m < static_cast<uint32_t>(CpuMode::Count); ++m) busy += cyc[m];
    const uint64_t total = env_.tb.ps_to_cycles(end_ps);
    if (total > busy) cyc[static_cast<uint32_t>(CpuMode::Idle)] += total - busy;
}

} // namespace offsched::sim
