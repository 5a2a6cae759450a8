// The sim side of model/HostTx: the host's segments to legitimate clients, queued for the offload
// core that owns the connection's NIC queue and materialised as real frames when the service
// takes them. A routed HostWire (MachineWire) sends through these when the service declared it
// needs the host's frames; otherwise the host's segments go straight to the clients.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include <systemc>

#include "backends/sim/traffic/clients.h"
#include "backends/sim/offload/frame_codec.h"
#include "backends/sim/os/host_wire.h"
#include "model/host_tx.h"

namespace offsched::sim {

class SimHostTx final : public HostTx {
public:
    static constexpr uint32_t kMaxBurst = 64;
    static constexpr uint16_t kBufLen = 1536;

    explicit SimHostTx(const FrameCodec& codec) : codec_(codec), bufs_(new uint8_t[size_t{kMaxBurst} * kBufLen]) {}

    // The host sent s to conn; local_queue: the index of its NIC queue among the core's queues.
    void push(uint32_t conn, uint16_t local_queue, const WireSeg& s)
    {
        q_.push_back(Rec{conn, local_queue, s});
        ready_.notify(sc_core::SC_ZERO_TIME);
    }
    u32 take(Frame* out, u32 max) override
    {
        if (max > kMaxBurst) max = kMaxBurst;
        u32 n = 0;
        for (uint8_t* buf = bufs_.get(); n < max && !q_.empty(); ++n, buf += kBufLen) {
            const Rec& r = q_.front();
            out[n] = Frame{buf, codec_.build_host(r.conn, r.seg, buf, kBufLen), r.queue, 0, 0};
            q_.pop_front();
        }
        return n;
    }
    bool empty() const { return q_.empty(); }
    // Notified when the host queues a frame (a sleeping offload core wakes).
    sc_core::sc_event& ready_event() { return ready_; }

private:
    struct Rec {
        uint32_t conn;
        uint16_t queue;
        WireSeg seg;
    };
    const FrameCodec& codec_;
    std::deque<Rec> q_;
    std::unique_ptr<uint8_t[]> bufs_;
    sc_core::sc_event ready_;
};

// The machine's HostWire: straight to the clients, or, once route_through() was called, to the
// offload core owning the connection's queue (queue q belongs to core q % n as its (q / n)-th).
class MachineWire final : public HostWire {
public:
    explicit MachineWire(Clients& clients) : clients_(clients) {}
    void route_through(std::vector<SimHostTx*> cores) { cores_ = std::move(cores); }
    void send(uint32_t conn, const WireSeg& s, uint64_t t_ns) override
    {
        if (cores_.empty()) return clients_.receive(conn, s, t_ns);
        const uint32_t q = clients_.conn(conn).queue;
        const auto n = static_cast<uint32_t>(cores_.size());
        cores_[q % n]->push(conn, static_cast<uint16_t>(q / n), s);
    }

private:
    Clients& clients_;
    std::vector<SimHostTx*> cores_;
};

} // namespace offsched::sim
