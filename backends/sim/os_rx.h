// Per-packet cost of the OS receive path for one ring slot (a run of flood or background packets,
// or one legit segment): driver RX (or the HostPath copy for frames an offload core passed),
// netfilter, then TCP through the listener.
#pragma once

#include <cstdint>

#include "backends/sim/app_sockets.h"
#include "backends/sim/ledger.h"
#include "backends/sim/packet.h"
#include "backends/sim/params.h"
#include "backends/sim/tcp_listener.h"
#include "backends/sim/trace/trace_sink.h"

namespace offsched::sim {

class OsRx {
public:
    OsRx(const OsParams& os, Listener& listener, Ledger* ledger = nullptr) : os_(os), listener_(listener), ledger_(ledger) {}

    // Cycles to process slot s on `core`, starting at t_ns.
    uint64_t process(const Slot& s, bool passed, uint32_t core, uint64_t t_ns)
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
            return s.count * (base + os_.established_cycles);
        case PktKind::Legit:
            trace::current().flow(t_ns, s.conn, s.seg == LegitSeg::Syn ? trace::FlowStep::SynIn : trace::FlowStep::AckIn, core);
            return base + (s.seg == LegitSeg::Syn ? listener_.legit_syn(s.conn, t_ns)
                                                  : listener_.legit_ack(s.conn, core, t_ns));
        case PktKind::Count: break;
        }
        return base;
    }
    uint64_t packets() const { return packets_; }
    AppSockets& app() { return app_; }
    const AppSockets& app() const { return app_; }

private:
    const OsParams& os_;
    Listener& listener_;
    Ledger* ledger_;
    uint64_t packets_ = 0;
    AppSockets app_;
};

} // namespace offsched::sim
