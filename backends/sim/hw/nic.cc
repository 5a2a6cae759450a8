#include "backends/sim/hw/nic.h"

#include "backends/sim/hw/spawn_method.h"
#include "backends/sim/machine/timebase.h"
#include "backends/sim/trace/trace_sink.h"

namespace offsched::sim {

Nic::Nic(sc_core::sc_module_name name, const NicConfig& cfg, Ledger& ledger, IrqLine* irq)
    : sc_module(name), cfg_(cfg), ledger_(ledger), irq_(irq)
{
    for (uint32_t q = 0; q < cfg.queues; ++q) {
        q_.push_back(std::make_unique<Queue>());
        spawn_method_on(q_.back()->irq_ev, "irq_timer", [this, q] { irq_timer(q); });
    }
}

void Nic::set_streams(uint32_t q, const ArrivalStream& flood, const ArrivalStream& background)
{
    q_[q]->flood = flood;
    q_[q]->bg = background;
    q_[q]->flood_next = q_[q]->flood.time_of(q_[q]->flood_seen);
    q_[q]->bg_next = q_[q]->bg.time_of(q_[q]->bg_seen);
    schedule_irq(q);
}

void Nic::inject(const Slot& s)
{
    Queue& Q = *q_[s.queue];
    Q.legit.push({s, legit_seq_++});
    if (Q.polled) Q.inject_ev.notify(sc_core::SC_ZERO_TIME);
    schedule_irq(s.queue);
}

// Private helpers of advance(), inlined into it: they run on every poll that finds new packets.
[[gnu::always_inline]] inline void Nic::push(Queue& Q, const Slot& s)
{
    if (!Q.ring.empty() && s.kind != PktKind::Legit) {
        Slot& b = Q.ring.back();
        if (b.kind == s.kind && b.first + b.count == s.first) {
            b.count += s.count;
            Q.occ += s.count;
            return;
        }
    }
    Q.ring.push_back(s);
    Q.occ += s.count;
}

// Flood and background packets that arrived up to t. Within one interval both streams are
// interleaved in time, so when the ring fills the drops are shared in proportion.
[[gnu::always_inline]] inline void Nic::add_stream_packets(Queue& Q, uint32_t qi, uint64_t t_ns)
{
    const uint64_t nf = Q.flood.arrived_by(t_ns) - Q.flood_seen;
    const uint64_t nb = Q.bg.arrived_by(t_ns) - Q.bg_seen;
    if (nf + nb == 0) return;
    ledger_.arrivals[static_cast<uint32_t>(PktKind::Flood)] += nf;
    ledger_.arrivals[static_cast<uint32_t>(PktKind::Background)] += nb;
    const uint64_t space = cfg_.ring_size - Q.occ;
    uint64_t af = nf, ab = nb;
    if (nf + nb > space) {
        // Background keeps its share of the free descriptors, and the fraction of a packet left
        // over carries to the next interval: rounding per interval made a thin stream (a few
        // transactions among millions of attack packets) win every rounding and never be dropped.
        const __int128 want = (static_cast<__int128>(nb) * space << 32) / (nf + nb) + Q.bg_share_carry;
        __int128 r = (want + (static_cast<__int128>(1) << 31)) >> 32; // nearest
        if (r < 0) r = 0;
        if (r > static_cast<__int128>(nb)) r = nb;
        ab = static_cast<uint64_t>(r);
        Q.bg_share_carry = static_cast<int64_t>(want - (r << 32));
        af = space - ab;
        if (af > nf) af = nf;
    }
    if (af) push(Q, Slot{PktKind::Flood, LegitSeg::Syn, static_cast<uint16_t>(qi), static_cast<uint32_t>(af), 0, Q.flood_seen, Q.flood_next});
    if (ab) push(Q, Slot{PktKind::Background, LegitSeg::Syn, static_cast<uint16_t>(qi), static_cast<uint32_t>(ab), 0, Q.bg_seen, Q.bg_next});
    ledger_.drop(Drop::NicRingFull, (nf - af) + (nb - ab));
    ledger_.fate(FloodFate::NicRingFull, nf - af);
    if (nf) Q.flood_next = Q.flood.time_of(Q.flood_seen += nf);
    if (nb) Q.bg_next = Q.bg.time_of(Q.bg_seen += nb);
}

void Nic::advance(uint32_t q, uint64_t t_ns)
{
    Queue& Q = *q_[q];
    if (t_ns < next_arrival_ns(Q)) { // nothing arrived since the last look (the common poll of an idle ring)
        trace::current().ring_fill(t_ns, q, static_cast<uint32_t>(Q.occ));
        return;
    }
    while (!Q.legit.empty() && Q.legit.top().s.t_ns <= t_ns) {
        const Slot s = Q.legit.top().s;
        Q.legit.pop();
        add_stream_packets(Q, q, s.t_ns);
        ++ledger_.arrivals[static_cast<uint32_t>(PktKind::Legit)];
        if (Q.occ < cfg_.ring_size) push(Q, s);
        else ledger_.drop(Drop::NicRingFull);
    }
    add_stream_packets(Q, q, t_ns);
    trace::current().ring_fill(t_ns, q, static_cast<uint32_t>(Q.occ));
}

uint32_t Nic::take(uint32_t q, uint32_t max, std::vector<Slot>& out, uint64_t now)
{
    advance(q, now);
    Queue& Q = *q_[q];
    uint32_t n = 0;
    while (n < max && !Q.ring.empty()) {
        Slot& f = Q.ring.front();
        const uint32_t k = f.count <= max - n ? f.count : max - n;
        Slot part = f;
        part.count = k;
        out.push_back(part);
        n += k;
        Q.occ -= k;
        if (k == f.count) {
            Q.ring.pop_front();
        } else {
            ArrivalStream& st = f.kind == PktKind::Flood ? Q.flood : Q.bg;
            f.first += k;
            f.count -= k;
            f.t_ns = st.time_of(f.first);
        }
    }
    if (n) trace::current().ring_fill(now, q, static_cast<uint32_t>(Q.occ));
    return n;
}

uint32_t Nic::occupancy(uint32_t q)
{
    advance(q, now_ns());
    return q_[q]->occ;
}

uint64_t Nic::next_arrival_ns(uint32_t q, uint64_t now)
{
    advance(q, now);
    return q_[q]->occ ? now : next_arrival_ns(*q_[q]);
}

// Interrupt moderation: the vector fires when there is (or will be) a packet, but never sooner
// than coalesce_ns after its previous interrupt.
void Nic::schedule_irq(uint32_t q)
{
    Queue& Q = *q_[q];
    if (!Q.irq_enabled || Q.polled) return;
    const uint64_t now = now_ns();
    uint64_t t = Q.occ ? now : next_arrival_ns(Q);
    if (t == ~0ull) return;
    if (Q.fired_once && t < Q.last_irq_ns + cfg_.coalesce_ns) t = Q.last_irq_ns + cfg_.coalesce_ns;
    if (t < now) t = now;
    Q.irq_ev.notify(Timebase::ns(t - now)); // an earlier notification replaces a later one
}

void Nic::irq_timer(uint32_t q)
{
    Queue& Q = *q_[q];
    if (!Q.irq_enabled || Q.polled) return;
    const uint64_t now = now_ns();
    if (Q.fired_once && now < Q.last_irq_ns + cfg_.coalesce_ns) { schedule_irq(q); return; }
    advance(q, now);
    if (Q.occ == 0) { schedule_irq(q); return; }
    Q.irq_enabled = false; // auto-masked until NAPI completes (as ixgbe EIAM)
    Q.fired_once = true;
    Q.last_irq_ns = now;
    ++Q.irqs;
    trace::current().irq_line(now, q, true); // masked from here until NAPI re-enables it
    irq_->raise(q);
}

void Nic::enable_irq(uint32_t q)
{
    Queue& Q = *q_[q];
    Q.irq_enabled = true;
    trace::current().irq_line(now_ns(), q, false);
    advance(q, now_ns());
    schedule_irq(q);
}

void Nic::set_polled(uint32_t q)
{
    q_[q]->polled = true;
    q_[q]->irq_ev.cancel();
}

void Nic::finish()
{
    for (uint32_t q = 0; q < q_.size(); ++q) {
        advance(q, now_ns());
        for (const Slot& s : q_[q]->ring)
            if (s.kind == PktKind::Flood) ledger_.fate(FloodFate::InNicRing, s.count);
    }
}

} // namespace offsched::sim
