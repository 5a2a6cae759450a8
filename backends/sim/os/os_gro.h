// What Linux's GRO does to the cost of one NAPI poll: consecutive segments of one flow become one
// skb (up to os.gro_segments), so netfilter and TCP run once per skb instead of once per segment.
// The model only merges what the frame bytes would let a real GRO merge: segments that continue
// their flow's sequence (GroTag::continues); anything else starts its own skb. Up to 8 flows are
// held at once (MAX_GRO_SKBS), the oldest is flushed for a ninth. Flushed at the end of a poll.
#pragma once

#include <cstdint>

namespace offsched::sim {

struct GroTag {
    uint64_t flow = 0;      // 0: not mergeable (not TCP data, or several interleaved flows)
    bool continues = false; // the first segment continues the flow's previous one
};

class OsGro {
public:
    explicit OsGro(uint32_t max_segments) : max_(max_segments ? max_segments : 1) {}

    void flush()
    {
        for (Held& h : held_) h.segs = 0;
    }

    // n segments of one flow: a run of NIC packets (split freely; segment i arrived at
    // arrival(i)), or one frame already merged (`whole`: joins an skb whole or starts one; it
    // arrived at arrival(0)). deliver(head_ns, count): count segments go up in an skb whose first
    // segment arrived at head_ns (the time a GRO'd skb carries, as SO_TIMESTAMPING reports it).
    // Returns how many skbs they opened.
    template <typename Arrival, typename Deliver> uint64_t add(const GroTag& t, uint64_t n, bool whole, Arrival&& arrival, Deliver&& deliver)
    {
        if (!t.flow || max_ == 1) {
            if (whole) {
                deliver(arrival(0), n);
                return 1;
            }
            for (uint64_t i = 0; i < n; ++i) deliver(arrival(i), 1);
            return n;
        }
        Held* h = find(t.flow);
        if (h && !t.continues) h->segs = 0; // a gap: the held skb is flushed, a new one starts
        if (!h) h = slot();
        h->flow = t.flow;
        h->age = ++clock_;
        uint64_t skbs = 0;
        if (whole) {
            if (h->segs == 0 || h->segs + n > max_) {
                ++skbs;
                h->segs = 0;
                h->head_ns = arrival(0);
            }
            h->segs += static_cast<uint32_t>(n < max_ ? n : max_);
            deliver(h->head_ns, n);
            return skbs;
        }
        for (uint64_t i = 0; i < n;) {
            if (h->segs == 0 || h->segs == max_) {
                ++skbs;
                h->segs = 0;
                h->head_ns = arrival(i);
            }
            const uint64_t take = n - i < max_ - h->segs ? n - i : max_ - h->segs;
            h->segs += static_cast<uint32_t>(take);
            deliver(h->head_ns, take);
            i += take;
        }
        return skbs;
    }

private:
    struct Held {
        uint64_t flow = 0;
        uint32_t segs = 0; // 0: nothing held
        uint64_t age = 0;
        uint64_t head_ns = 0; // arrival of the held skb's first segment
    };
    Held* find(uint64_t flow)
    {
        for (Held& h : held_)
            if (h.segs && h.flow == flow) return &h;
        return nullptr;
    }
    Held* slot()
    {
        Held* oldest = &held_[0];
        for (Held& h : held_) {
            if (!h.segs) return &h;
            if (h.age < oldest->age) oldest = &h;
        }
        oldest->segs = 0; // flushed to make room
        return oldest;
    }

    uint32_t max_;
    uint64_t clock_ = 0;
    Held held_[8];
};

} // namespace offsched::sim
