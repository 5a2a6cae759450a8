#include "backends/sim/service_ports.h"

#include <algorithm>

#include "backends/sim/trace/trace_sink.h"

namespace offsched::sim {

SimNicQueue::SimNicQueue(Nic& nic, uint32_t q, const FrameCodec& codec, const Timebase& tb, Clients& clients,
                         ServiceTally& tally)
    : nic_(nic), q_(q), codec_(codec), tb_(tb), clients_(clients), tally_(tally),
      bufs_(new uint8_t[static_cast<size_t>(kMaxBurst) * kBufLen])
{
}

u32 SimNicQueue::rx_burst(Frame* out, u32 max)
{
    if (max > kMaxBurst) max = kMaxBurst;
    const uint64_t now = time_ ? time_->ps / 1000 : now_ns();
    if (nic_.quiet(q_, now)) { // the most common poll: what take() would do, without the calls
        trace::current().ring_fill(now, q_, 0);
        return 0;
    }
    slots_.clear();
    const uint32_t n = nic_.take(q_, max, slots_, now);
    uint32_t i = 0;
    uint8_t* buf = bufs_.get();
    for (const Slot& s : slots_) {
        tally_.taken[static_cast<uint32_t>(s.kind)] += s.count;
        const u64 rx_cycles = tb_.ps_to_cycles(s.t_ns * 1000); // a run shares its first packet's time
        const bool flood = s.kind == PktKind::Flood;
        for (uint32_t k = 0; k < s.count; ++k, ++i, buf += kBufLen) {
            uint32_t hash = 0;
            const uint16_t len = flood ? codec_.build_flood(s.queue, s.first + k, buf, kBufLen, &hash)
                                       : codec_.build(s, k, buf, kBufLen, &hash);
            out[i] = Frame{buf, len, static_cast<u16>(q_), hash, rx_cycles};
        }
    }
    return n;
}

u32 SimNicQueue::tx_burst(const Frame* frames, u32 n)
{
    for (u32 i = 0; i < n; ++i) {
        FrameCodec::TxInfo t;
        if (tap_ && tap_->take(frames[i], time_ ? time_->ps / 1000 : now_ns())) continue;
        if (!codec_.classify_tx(frames[i].data, frames[i].len, &t)) continue;
        if (!t.to_client) {
            ++tally_.answered_flood; // a reply to a spoofed address: it goes nowhere
            continue;
        }
        ++tally_.answered_legit;
        if (t.syn_ack) clients_.synack_sent(t.conn, t.seq, now_ns());
    }
    return n;
}

void SimNicQueue::mac(u8 out[6]) const { std::copy(kHostMac, kHostMac + 6, out); }

SimHostPath::SimHostPath(std::vector<uint32_t> os_core_ids, std::vector<HostRing*> rings, const FrameCodec& codec,
                         IrqController& irqc, uint64_t ipi_latency_ns, Ledger& ledger, ServiceTally& tally)
    : core_ids_(std::move(os_core_ids)), rings_(std::move(rings)), codec_(codec), irqc_(irqc),
      ipi_latency_ns_(ipi_latency_ns), ledger_(ledger), tally_(tally)
{
}

bool SimHostPath::pass(const Frame& f, u32 cpu)
{
    if (cpu >= rings_.size()) return false;
    Slot s;
    if (!codec_.classify_passed(f.data, f.len, &s)) ++tally_.unknown_passed;
    s.t_ns = now_ns();
    const auto k = static_cast<uint32_t>(s.kind);
    if (!rings_[cpu]->push(s)) {
        ++tally_.pass_failed[k];
        ledger_.drop(Drop::HostRingFull);
        return false;
    }
    ++tally_.passed[k];
    return true;
}

void SimHostPath::doorbell(u32 cpu)
{
    if (cpu >= rings_.size() || !rings_[cpu]->armed) return; // the OS side is already polling
    rings_[cpu]->armed = false;
    ++doorbells_;
    irqc_.send_ipi(core_ids_[cpu], kHostPathVector, ipi_latency_ns_);
}

} // namespace offsched::sim
