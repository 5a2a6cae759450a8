// Per-packet cost of the OS receive path for one ring slot (a run of flood or background packets,
// or one legit segment): driver RX (or the HostPath copy for frames an offload core passed),
// netfilter, then TCP through the listener. Established-flow segments go through GRO (os_gro.h):
// driver RX per segment, netfilter and TCP per skb; their delivery and latency are recorded.
#pragma once

#include <cstdint>
#include <vector>

#include "backends/sim/os/app_sockets.h"
#include "backends/sim/machine/ledger.h"
#include "backends/sim/machine/packet.h"
#include "backends/sim/os/os_gro.h"
#include "backends/sim/run/params.h"
#include "backends/sim/os/rx_latency.h"
#include "backends/sim/os/tcp_listener.h"
#include "backends/sim/trace/trace_sink.h"

namespace offsched::sim {

class OsRx {
public:
    OsRx(const OsParams& os, Listener& listener, Ledger* ledger = nullptr) : os_(os), listener_(listener), ledger_(ledger) {}

    // Cycles to process slot s on `core`, starting at t_ns. `gro` is the poll's GRO state (null:
    // no merging); `tag` the GRO tag of a passed frame (NIC slots are tagged here).
    uint64_t process(const Slot& s, bool passed, uint32_t core, uint64_t t_ns, OsGro* gro = nullptr,
                     const GroTag* tag = nullptr)
    {
        const uint64_t base = (passed ? os_.passed_packet_cycles : os_.rx_packet_cycles) + os_.netfilter_cycles;
        packets_ += s.count;
        switch (s.kind) {
        case PktKind::Flood:
            if (os_.xdp_drop && ledger_) { // the program matches the attack before any skb exists
                ledger_->drop(Drop::Xdp, s.count);
                ledger_->fate(FloodFate::OsXdpDropped, s.count);
                return s.count * os_.xdp_drop_cycles;
            }
            return s.count * base + listener_.flood_syns(s.count, t_ns);
        case PktKind::Background:
            app_.deliver(core, s.count); // a reading task, if the scenario has one
            return background(s, passed, t_ns, gro, tag);
        case PktKind::Legit:
            trace::current().flow(t_ns, s.conn, s.seg == LegitSeg::Syn ? trace::FlowStep::SynIn : trace::FlowStep::AckIn, core);
            return base + listener_.legit(s, core, t_ns);
        case PktKind::Count: break;
        }
        return base;
    }
    uint64_t packets() const { return packets_; }
    AppSockets& app() { return app_; }
    const AppSockets& app() const { return app_; }
    RxLatency& latency() { return latency_; }
    const RxLatency& latency() const { return latency_; }
    // The core clock (cycles -> delivery time) and the warm-up the latency statistics skip.
    void configure_latency(uint32_t freq_mhz, uint64_t warmup_ns)
    {
        freq_mhz_ = freq_mhz;
        latency_.configure(warmup_ns);
    }
    // NIC queue q's background segments continue each other (one flow, contiguous sequence
    // numbers in the frame bytes): GRO may merge them.
    void set_mergeable(uint32_t q, bool m)
    {
        if (mergeable_.size() <= q) {
            mergeable_.resize(q + 1, 0);
            next_first_.resize(q + 1, 0);
        }
        mergeable_[q] = m;
    }

private:
    // Established-flow segments: a run from a NIC queue (packet i arrived at its stream time), or
    // a frame an offload core passed (s.count segments if it merged them; s.t_ns: its first one's
    // NIC arrival). All are delivered when the slot's processing ends.
    uint64_t background(const Slot& s, bool passed, uint64_t t_ns, OsGro* gro, const GroTag* tag)
    {
        const GroTag t = tag ? *tag : nic_tag(s);
        const uint64_t rx = passed ? os_.passed_packet_cycles + (s.count - 1) * uint64_t{os_.passed_segment_cycles}
                                   : s.count * uint64_t{os_.rx_packet_cycles};
        // The skb count sets the cost, and the cost the delivery time: count first, record after.
        parts_.clear();
        auto arrival = [&](uint64_t i) { return passed ? s.t_ns : latency_.arrival_ns(s.queue, s.first + i); };
        auto deliver = [&](uint64_t head_ns, uint64_t n) { parts_.push_back(Part{head_ns, n}); };
        OsGro none(1);
        const uint64_t skbs = (gro ? *gro : none).add(t, s.count, passed, arrival, deliver);
        const uint64_t cost = rx + skbs * (uint64_t{os_.netfilter_cycles} + os_.established_cycles);
        const uint64_t done = t_ns + cost * 1000 / freq_mhz_;
        for (const Part& p : parts_) latency_.add(p.head_ns, done, p.n);
        return cost;
    }
    GroTag nic_tag(const Slot& s)
    {
        if (s.queue >= mergeable_.size() || !mergeable_[s.queue]) return {};
        const GroTag t{s.queue + 1ull, s.first == next_first_[s.queue]};
        next_first_[s.queue] = s.first + s.count;
        return t;
    }

    const OsParams& os_;
    Listener& listener_;
    Ledger* ledger_;
    uint64_t packets_ = 0;
    AppSockets app_;
    RxLatency latency_;
    struct Part { // segments delivered in one skb
        uint64_t head_ns, n;
    };
    std::vector<Part> parts_;           // scratch of background()
    std::vector<uint8_t> mergeable_;    // per NIC queue
    std::vector<uint64_t> next_first_;  // per NIC queue: stream index after the last segment seen
    uint64_t freq_mhz_ = 3000;
};

} // namespace offsched::sim
