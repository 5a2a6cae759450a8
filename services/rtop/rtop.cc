#include "services/rtop/rtop.h"

#include "services/common/queue_poller.h"
#include "services/net/build.h"
#include "services/net/byte_order.h"

namespace offsched {

using namespace rtop;

Rtop::Rtop(const ServiceEnv& env, const Config& cfg) : env_(env), cfg_(cfg)
{
    conv_.init(env.clock->khz());
    parse_mac(cfg.dst_mac, dst_mac_); // validate() accepted it
    queue_ = env.queue_count && cfg.queue >= env.queue_count ? env.queue_count - 1 : cfg.queue;
    interval_cycles_ = conv_.from_ns(cfg.interval_ns);
    if (!interval_cycles_) interval_cycles_ = 1;
    next_ = env.clock->cycles(); // first sample on the first step
    __builtin_memset(&shared_, 0, sizeof shared_);
}

StepResult Rtop::step(u32 budget)
{
    StepResult r;
    r.packets = discard_rx(budget);
    const u64 now = env_.clock->cycles();
    if (now < next_) return r;
    const u64 missed = (now - next_) / interval_cycles_;
    stats_[kMissedIntervals].add(missed);
    next_ += (missed + 1) * interval_cycles_; // keep the phase; no burst of catch-up samples
    r.work_units = sample_and_send(now);
    return r;
}

u32 Rtop::discard_rx(u32 budget)
{
    const u32 taken = poll_queues(env_, &rr_, budget, rx_, kRxBurst, [this](u32 q, const Frame* frames, u32 n) {
        for (u32 i = 0; i < n; ++i) env_.queues[q]->verdict(frames[i], Verdict::Drop);
    });
    stats_[kRxDiscarded].add(taken);
    return taken;
}

u32 Rtop::sample_and_send(u64 now)
{
    u32 tries = 0;
    bool ok = false;
    while (!ok && tries < cfg_.read_tries) {
        ok = os_stats_read(&shared_, &snap_, 1);
        ++tries;
    }
    stats_[kReadRetries].add(tries - 1);
    if (!ok) {
        stats_[kReadFailed].add();
        return 0;
    }
    if (!env_.queue_count) return 0;
    NicQueue* q = env_.queues[queue_];
    Header h{};
    h.sample = ++sample_;
    h.timestamp_ns = conv_.to_ns(now);
    h.mem_total_kb = snap_.mem_total_kb;
    h.mem_available_kb = snap_.mem_available_kb;
    h.total_cpus = static_cast<u16>(snap_.cpu_count);
    net::UdpSpec u{};
    q->mac(u.addr.src_mac);
    net::copy_bytes(u.addr.dst_mac, dst_mac_, 6);
    u.addr.src_ip = cfg_.src_ip;
    u.addr.dst_ip = cfg_.dst_ip;
    u.addr.src_port = static_cast<u16>(cfg_.src_port);
    u.addr.dst_port = static_cast<u16>(cfg_.dst_port);
    u.payload = payload_;
    u32 n = 0;
    // A sample with zero cpus still sends one datagram (memory figures, liveness).
    for (u32 first = 0; n == 0 || first < snap_.cpu_count; first += kMaxRecordsPerDatagram) {
        u32 count = snap_.cpu_count - first;
        if (count > kMaxRecordsPerDatagram) count = kMaxRecordsPerDatagram;
        for (u32 i = 0; i < count; ++i) {
            const CpuSample& s = snap_.cpus[first + i];
            records_[i] = Record{static_cast<u16>(first + i), s.nr_running, s.busy_ns, s.idle_ns, s.irq_ns, s.softirq_ns};
        }
        h.seq = ++seq_;
        h.first_cpu = static_cast<u16>(first);
        h.record_count = static_cast<u16>(count);
        u.payload_len = static_cast<u16>(encode(h, records_, count, payload_, sizeof payload_));
        u.addr.ip_id = ++ip_id_;
        const u16 len = net::build_udp(u, frames_[n], kFrameCap);
        tx_[n] = Frame{frames_[n], len, static_cast<u16>(queue_), 0, now};
        ++n;
    }
    const u32 sent = q->tx_burst(tx_, n);
    stats_[kDatagrams].add(sent);
    stats_[kTxFull].add(n - sent);
    stats_[kSamples].add();
    return n;
}

} // namespace offsched
