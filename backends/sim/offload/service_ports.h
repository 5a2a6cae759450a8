// The model/ interfaces a service sees, implemented on the simulated machine: its NIC queues
// (frames materialised from ring slots), the HostPath rings towards OS cores (doorbell = IPI),
// the TSC and the core.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "backends/sim/traffic/clients.h"
#include "backends/sim/offload/frame_codec.h"
#include "backends/sim/offload/host_ring.h"
#include "backends/sim/hw/irq_controller.h"
#include "backends/sim/machine/ledger.h"
#include "backends/sim/hw/nic.h"
#include "backends/sim/machine/timebase.h"
#include "model/service.h"

namespace offsched::sim {

// What offload cores did with the frames they took, by packet kind (for the ledger): the
// verdicts services reported, and what the host path and the wire saw.
struct ServiceTally {
    static constexpr uint32_t kKinds = static_cast<uint32_t>(PktKind::Count);
    uint64_t taken[kKinds] = {};
    uint64_t verdicts[kKinds][static_cast<uint32_t>(Verdict::Count)] = {};
    uint64_t undecided = 0;    // frames the service took and never gave a verdict
    uint64_t bad_verdicts = 0; // verdicts for frames not of the last burst, or given twice
    uint64_t passed[kKinds] = {};
    uint64_t pass_failed[kKinds] = {};
    uint64_t answered_flood = 0; // frames transmitted to addresses that are not legit clients
    uint64_t unknown_passed = 0;
    uint64_t verdict(PktKind k, Verdict v) const { return verdicts[static_cast<uint32_t>(k)][static_cast<uint32_t>(v)]; }
};

// The simulated time of the offload step in progress. SystemC time stands still during one
// activation, so the offload core latches it once per step instead of every poll and clock read
// asking the kernel (sc_time_stamp is a library call, and there are several per frame).
struct StepTime {
    uint64_t ps = 0;
    void latch() { ps = now_ps(); }
};

// The time of the step in progress when an offload core latched one (t), else SystemC's.
inline uint64_t step_ps(const StepTime* t) { return t ? t->ps : now_ps(); }

class SimClock final : public Clock {
public:
    SimClock(const Timebase& tb, const StepTime& t) : tb_(tb), t_(t) {}
    u64 cycles() const override { return tb_.ps_to_cycles(t_.ps); }
    u32 khz() const override { return static_cast<u32>(tb_.freq_mhz * 1000); }

private:
    Timebase tb_;
    const StepTime& t_;
};

class SimCore final : public Core {
public:
    explicit SimCore(u32 id) : id_(id) {}
    u32 id() const override { return id_; }
    void relax() override { relaxed_ = true; } // the offload core's loop turns this into relax_ns
    bool take_relax()
    {
        const bool r = relaxed_;
        relaxed_ = false;
        return r;
    }

private:
    u32 id_;
    bool relaxed_ = false;
};

// Someone outside the host who sees frames a service transmits (companions/rtop_companion: the
// admin's offsched-rtop). take() returns true when the frame was for it.
class TxTap {
public:
    virtual bool take(const Frame& f, uint64_t now_ns) = 0;

protected:
    ~TxTap() = default;
};

class SimNicQueue final : public NicQueue {
public:
    static constexpr uint32_t kMaxBurst = 256;
    static constexpr uint16_t kBufLen = 1536;

    SimNicQueue(Nic& nic, uint32_t q, const FrameCodec& codec, const Timebase& tb, Clients& clients, ServiceTally& tally);
    u32 rx_burst(Frame* out, u32 max) override;
    u32 tx_burst(const Frame* frames, u32 n) override;
    void verdict(const Frame& f, Verdict v) override;
    void mac(u8 out[6]) const override;
    // The offload core that polls this queue latches the step's time here.
    void follow(const StepTime* t) { time_ = t; }
    // When the next frame arrives on this queue (one already waiting: now); ~0 if none will.
    uint64_t next_arrival_ns(uint64_t now_ns) { return nic_.next_arrival_ns(q_, now_ns); }
    // Notified whenever a legit frame is scheduled onto this queue (a sleeping poller wakes).
    sc_core::sc_event& inject_event() { return nic_.inject_event(q_); }
    // Transmitted frames are offered to tap first (before the client/flood accounting).
    void set_tap(TxTap* tap) { tap_ = tap; }

private:
    Nic& nic_;
    TxTap* tap_ = nullptr;
    const StepTime* time_ = nullptr;
    uint32_t q_;
    const FrameCodec& codec_;
    Timebase tb_;
    Clients& clients_;
    ServiceTally& tally_;
    std::vector<Slot> slots_;
    std::unique_ptr<uint8_t[]> bufs_; // kMaxBurst frames, valid until the next rx_burst
    // The last burst: each frame's kind, and whether the service has given its verdict.
    uint32_t lent_ = 0;
    PktKind kind_[kMaxBurst];
    bool decided_[kMaxBurst];
};

class SimHostPath final : public HostPath {
public:
    // os_core_ids[i] is the machine core behind HostPath cpu i; rings[i] its ring. segment_bytes:
    // the TCP payload of one background segment (a merged frame carries a multiple of it).
    SimHostPath(std::vector<uint32_t> os_core_ids, std::vector<HostRing*> rings, const FrameCodec& codec,
                IrqController& irqc, uint64_t ipi_latency_ns, Ledger& ledger, ServiceTally& tally,
                const Timebase& tb, uint32_t segment_bytes);
    bool pass(const Frame& f, u32 cpu) override;
    void doorbell(u32 cpu) override;
    u32 os_cpus() const override { return static_cast<u32>(rings_.size()); }
    // Ring entries are classified slots, not byte buffers: any merged frame fits.
    u32 max_frame_len() const override { return 65535; }
    // The offload core whose step calls pass/doorbell next latches its time here.
    void follow(const StepTime* t) { time_ = t; }
    // Doorbells rung since the last call (the ringing core pays for them).
    uint64_t take_doorbells()
    {
        const uint64_t n = doorbells_;
        rung_ += n;
        doorbells_ = 0;
        return n;
    }
    // Doorbell IPIs sent over the whole run.
    uint64_t rung() const { return rung_ + doorbells_; }

private:
    // Background data: segments in the frame, and whether it continues its flow (GRO tag).
    void tag_background(const Frame& f, Slot* s, GroTag* tag);

    std::vector<uint32_t> core_ids_;
    std::vector<HostRing*> rings_;
    const FrameCodec& codec_;
    IrqController& irqc_;
    uint64_t ipi_latency_ns_;
    Ledger& ledger_;
    ServiceTally& tally_;
    const StepTime* time_ = nullptr;
    Timebase tb_;
    uint32_t segment_bytes_;
    std::unordered_map<uint64_t, uint32_t> next_seq_; // per flow: the sequence number that continues it
    uint64_t doorbells_ = 0, rung_ = 0;
};

} // namespace offsched::sim
