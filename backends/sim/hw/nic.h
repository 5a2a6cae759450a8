// Multi-queue NIC: per-queue RX rings filled lazily from the traffic streams, RSS placing flows,
// ring-full drops, and per-queue interrupt moderation. A ring is brought up to date only when
// someone looks at it (a NAPI poll, rx_burst, or a pending interrupt), so the cost of the model
// is per poll, not per packet.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <queue>
#include <vector>

#include <systemc>

#include "backends/sim/machine/ledger.h"
#include "backends/sim/machine/packet.h"
#include "backends/sim/traffic/arrival_stream.h"
#include "backends/sim/machine/timebase.h"

namespace offsched::sim {

// Whoever routes a queue's MSI-X vector to a core (the interrupt controller).
class IrqLine {
public:
    virtual void raise(uint32_t irq) = 0;

protected:
    ~IrqLine() = default;
};

struct NicConfig {
    uint32_t queues = 1;
    uint32_t ring_size = 512;
    uint64_t coalesce_ns = 0;
};

class Nic : public sc_core::sc_module {
public:
    Nic(sc_core::sc_module_name name, const NicConfig& cfg, Ledger& ledger, IrqLine* irq);

    // Traffic wiring (before simulation starts).
    void set_streams(uint32_t q, const ArrivalStream& flood, const ArrivalStream& background);
    // A legit packet arriving at s.t_ns on queue s.queue (t_ns >= now).
    void inject(const Slot& s);

    // Moves up to `max` packets off queue q's ring (oldest first) into out; returns the count.
    uint32_t take(uint32_t q, uint32_t max, std::vector<Slot>& out) { return take(q, max, out, now_ns()); }
    // The same at now_ns, the current simulated time the caller already knows.
    uint32_t take(uint32_t q, uint32_t max, std::vector<Slot>& out, uint64_t now_ns);
    // NAPI completed on q: the queue may interrupt again (moderation still applies).
    void enable_irq(uint32_t q);
    // The queue is polled by an offload core: never interrupts.
    void set_polled(uint32_t q);

    uint32_t queues() const { return static_cast<uint32_t>(q_.size()); }
    // Queue q's ring is empty and nothing arrives on it by now_ns: take() would find nothing.
    bool quiet(uint32_t q, uint64_t now_ns) const { return q_[q]->occ == 0 && now_ns < next_arrival_ns(*q_[q]); }
    uint32_t occupancy(uint32_t q);
    // When the next packet will arrive on q (a packet already queued: now); ~0 if none will.
    uint64_t next_arrival_ns(uint32_t q) { return next_arrival_ns(q, now_ns()); }
    uint64_t next_arrival_ns(uint32_t q, uint64_t now_ns);
    // Notified whenever a legit packet is scheduled onto q (a sleeping poller may need to wake).
    sc_core::sc_event& inject_event(uint32_t q) { return q_[q]->inject_ev; }
    uint64_t irqs_raised(uint32_t q) const { return q_[q]->irqs; }
    // Brings every ring up to `now` and books what is still queued (end of run).
    void finish();

private:
    struct LegitLater {
        Slot s;
        uint64_t seq;
        bool operator>(const LegitLater& o) const { return s.t_ns != o.s.t_ns ? s.t_ns > o.s.t_ns : seq > o.seq; }
    };
    struct Queue {
        std::deque<Slot> ring;
        uint32_t occ = 0;
        ArrivalStream flood, bg;
        uint64_t flood_seen = 0, bg_seen = 0; // stream packets accounted (queued or dropped)
        // time_of(flood_seen), time_of(bg_seen), kept with the counts so that a poll of a ring
        // with nothing new costs comparisons, not divisions.
        uint64_t flood_next = ~0ull, bg_next = ~0ull;
        int64_t bg_share_carry = 0; // background's rounding carried to the next share (1/2^32 packet)
        std::priority_queue<LegitLater, std::vector<LegitLater>, std::greater<>> legit;
        bool irq_enabled = true, polled = false;
        uint64_t last_irq_ns = 0;
        bool fired_once = false;
        uint64_t irqs = 0;
        sc_core::sc_event irq_ev;
        sc_core::sc_event inject_ev;
    };

    void advance(uint32_t q, uint64_t t_ns);
    void add_stream_packets(Queue& Q, uint32_t qi, uint64_t t_ns);
    void push(Queue& Q, const Slot& s);
    void schedule_irq(uint32_t q);
    void irq_timer(uint32_t q);
    // When Q's next packet (stream or legit) arrives.
    static uint64_t next_arrival_ns(const Queue& Q)
    {
        uint64_t t = Q.flood_next < Q.bg_next ? Q.flood_next : Q.bg_next;
        if (!Q.legit.empty() && Q.legit.top().s.t_ns < t) t = Q.legit.top().s.t_ns;
        return t;
    }

    NicConfig cfg_;
    Ledger& ledger_;
    IrqLine* irq_;
    std::vector<std::unique_ptr<Queue>> q_; // sc_event is not movable
    uint64_t legit_seq_ = 0;
};

} // namespace offsched::sim
