#include "backends/sim/offload/service_ports.h"

#include <algorithm>

#include "backends/sim/trace/trace_sink.h"
#include "services/net/headers.h"
#include "services/net/parse.h"

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
    for (uint32_t i = 0; i < lent_; ++i) tally_.undecided += !decided_[i];
    lent_ = 0;
    const uint64_t now = step_ps(time_) / 1000;
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
            kind_[i] = s.kind;
            decided_[i] = false;
        }
    }
    lent_ = i;
    return n;
}

void SimNicQueue::verdict(const Frame& f, Verdict v)
{
    // The frame is known by its buffer: the i-th of the last burst.
    const uintptr_t off = reinterpret_cast<uintptr_t>(f.data) - reinterpret_cast<uintptr_t>(bufs_.get());
    const uint64_t i = off / kBufLen;
    if (off % kBufLen || i >= lent_ || decided_[i] || v >= Verdict::Count) {
        ++tally_.bad_verdicts;
        return;
    }
    decided_[i] = true;
    ++tally_.verdicts[static_cast<uint32_t>(kind_[i])][static_cast<uint32_t>(v)];
}

u32 SimNicQueue::tx_burst(const Frame* frames, u32 n)
{
    const uint64_t at = step_ps(time_);
    for (u32 i = 0; i < n; ++i) {
        FrameCodec::TxInfo t;
        if (tap_ && tap_->take(frames[i], at / 1000)) continue;
        if (!codec_.classify_tx(frames[i].data, frames[i].len, &t)) continue;
        if (!t.to_client) {
            ++tally_.answered_flood; // a reply to a spoofed address: it goes nowhere
            continue;
        }
        clients_.receive(t.conn, t.seg, at / 1000, at);
    }
    return n;
}

void SimNicQueue::mac(u8 out[6]) const { std::copy(kHostMac, kHostMac + 6, out); }

SimHostPath::SimHostPath(std::vector<uint32_t> os_core_ids, std::vector<HostRing*> rings, const FrameCodec& codec,
                         IrqController& irqc, uint64_t ipi_latency_ns, Ledger& ledger, ServiceTally& tally,
                         const Timebase& tb, uint32_t segment_bytes)
    : core_ids_(std::move(os_core_ids)), rings_(std::move(rings)), codec_(codec), irqc_(irqc),
      ipi_latency_ns_(ipi_latency_ns), ledger_(ledger), tally_(tally), tb_(tb), segment_bytes_(segment_bytes ? segment_bytes : 1)
{
}

void SimHostPath::tag_background(const Frame& f, Slot* s, GroTag* tag)
{
    net::ParsedFrame p;
    if (net::parse_frame(f.data, f.len, &p) != net::ParseError::Ok || p.proto != net::kIpProtoTcp || !p.payload_len) return;
    s->count = (p.payload_len + segment_bytes_ - 1) / segment_bytes_;
    s->t_ns = tb_.cycles_to_ps(f.rx_cycles) / 1000; // NIC arrival of its (first) segment
    const uint64_t flow = (uint64_t{p.src_ip} << 32 | uint64_t{p.src_port} << 16 | p.dst_port) | 1;
    auto [it, fresh] = next_seq_.try_emplace(flow, p.seq);
    *tag = GroTag{flow, !fresh && it->second == p.seq};
    it->second = p.seq + p.payload_len;
}

bool SimHostPath::pass(const Frame& f, u32 cpu)
{
    if (cpu >= rings_.size()) return false;
    Slot s;
    if (!codec_.classify_passed(f.data, f.len, &s)) ++tally_.unknown_passed;
    s.t_ns = step_ps(time_) / 1000;
    GroTag tag;
    if (s.kind == PktKind::Background) tag_background(f, &s, &tag);
    const auto k = static_cast<uint32_t>(s.kind);
    if (!rings_[cpu]->push(s, tag)) { // a merged frame loses all its segments
        tally_.pass_failed[k] += s.count;
        ledger_.drop(Drop::HostRingFull, s.count);
        return false;
    }
    tally_.passed[k] += s.count;
    return true;
}

void SimHostPath::doorbell(u32 cpu)
{
    if (cpu >= rings_.size() || !rings_[cpu]->claim_doorbell()) return; // the OS side is still polling
    ++doorbells_;
    irqc_.send_ipi(core_ids_[cpu], kHostPathVector, ipi_latency_ns_, step_ps(time_));
}

} // namespace offsched::sim
