#include "services/napi/napi.h"

#include "model/atomic.h"
#include "services/common/queue_poller.h"

namespace offsched {

using namespace napi;

Napi::Napi(const ServiceEnv& env, const Config& cfg) : env_(env), cfg_(cfg)
{
    os_cpus_ = steerable_cpus(env.host);
    for (u16& e : rfs_) e = kRfsUnset;
    CycleConverter cc;
    cc.init(env.clock->khz());
    gap_cycles_ = cc.from_ns(cfg.coalesce_ns);
    // A merged frame must fit what the host path carries, whatever the config allows: the
    // kernel backend's ring slots hold one standard frame, so there it merges only small segments.
    const u32 host_max = env.host ? env.host->max_frame_len() : kMaxFrameLen;
    gro_.init(cfg.max_batch_segments, cfg.max_batch_bytes < host_max ? cfg.max_batch_bytes : host_max);
}

StepResult Napi::step(u32 budget)
{
    StepResult r;
    const u64 now = env_.clock->cycles();
    if (now < next_poll_) return r; // letting the rings fill (coalesce_ns)
    batches_step_ = 0;
    const u32 evictions_before = gro_.evictions();
    bool full = false;
    r.packets = poll_queues(env_, &rr_, budget, rx_, kBurst, [&](u32 q, const Frame* frames, u32 n) {
        full = full || n == kBurst;
        NicQueue& nic = *env_.queues[q];
        for (u32 i = 0; i < n; ++i) nic.verdict(frames[i], handle(frames[i]));
        gro_.flush_all(*this); // frames are only valid until the next rx_burst
    });
    // Frames but no full burst: leave the rings to fill for coalesce_ns, so the next poll brings
    // several segments per flow to merge and one doorbell per cpu covers them. An empty poll or a
    // full burst polls again at once: the first frame after a quiet period is not delayed, and a
    // loaded queue is drained (as a NIC's interrupt throttling, and NAPI staying in poll mode).
    next_poll_ = r.packets && !full && r.packets < budget ? now + gap_cycles_ : 0;
    stats_[kFlushEvict].add(gro_.evictions() - evictions_before);
    r.work_units = batches_step_;
    if (os_cpus_) stats_[kDoorbells].add(doorbells_.ring(env_.host));
    return r;
}

// Every frame that parses goes up, alone or merged into its batch's frame (GRO flushes each
// batch before the next rx_burst): Pass, unless there is no host path to pass to.
Verdict Napi::handle(const Frame& f)
{
    stats_[kRx].add();
    net::ParsedFrame p;
    const net::ParseError e = net::parse_frame(f.data, f.len, &p);
    if (e == net::ParseError::NotIp) {
        stats_[kNonIp].add();
        pass(f, os_cpus_ ? net::reduce(net::hash_u32(f.rss_hash, cfg_.hash_seed), os_cpus_) : 0);
    } else if (e != net::ParseError::Ok) {
        stats_[kDroppedMalformed].add();
        return Verdict::Drop;
    } else {
        gro_.add(f, p, *this);
    }
    return os_cpus_ ? Verdict::Pass : Verdict::Drop;
}

void Napi::emit(const Frame& f, const net::FlowKey& k, u32 segments, bool limit_closed)
{
    if (segments > 1) {
        stats_[kBatches].add();
        stats_[kCoalesced].add(segments);
        ++batches_step_;
    }
    if (limit_closed) stats_[kFlushLimit].add();
    pass(f, cpu_for(k));
}

u32 Napi::cpu_for(const net::FlowKey& k)
{
    if (!os_cpus_) return 0;
    const u32 h = net::flow_hash(k, cfg_.hash_seed);
    if (cfg_.rfs) {
        const u16 want = load_relaxed(&rfs_[h & (kRfsEntries - 1)]);
        if (want < os_cpus_) {
            stats_[kSteeredRfs].add();
            return want;
        }
    }
    stats_[kSteeredHash].add();
    return net::reduce(h, os_cpus_);
}

void Napi::pass(const Frame& f, u32 cpu)
{
    if (!os_cpus_ || !env_.host->pass(f, cpu)) return stats_[kHostRingFull].add();
    stats_[kPassed].add();
    doorbells_.mark(cpu);
}

} // namespace offsched
