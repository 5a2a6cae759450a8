// The ring between an offload core and one OS core (the sim side of model/HostPath): frames the
// service passed, already classified into slots, drained by that OS core's NAPI poll. `arm` is
// the doorbell state (services/ring/doorbell_arm.h, the protocol the kernel backend uses too): an
// IPI is only sent when the OS side armed the ring before it stopped polling.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "backends/sim/os/os_gro.h"
#include "backends/sim/machine/packet.h"
#include "services/ring/doorbell_arm.h"

namespace offsched::sim {

// The IPI vector a HostPath doorbell uses.
constexpr uint32_t kHostPathVector = 0xf1;

class HostRing {
public:
    explicit HostRing(uint32_t capacity) : cap_(capacity) {}

    bool push(const Slot& s, const GroTag& tag = {})
    {
        if (ring_.size() >= cap_) return false;
        ring_.push_back(s);
        tags_.push_back(tag);
        return true;
    }
    // Up to max entries, oldest first; their GRO tags go to *tags when asked for.
    uint32_t take(uint32_t max, std::vector<Slot>& out, std::vector<GroTag>* tags = nullptr)
    {
        uint32_t n = 0;
        while (n < max && !ring_.empty()) {
            out.push_back(ring_.front());
            if (tags) tags->push_back(tags_.front());
            ring_.pop_front();
            tags_.pop_front();
            ++n;
        }
        return n;
    }
    bool empty() const { return ring_.empty(); }
    const std::deque<Slot>& contents() const { return ring_; }

    // The consumer found the ring empty and stops polling: arms it. True when frames raced in
    // and the consumer must poll again itself (no doorbell will come for them).
    bool rearm() { return arm_.consumer_rearm([this] { return ring_.empty(); }); }
    // The producer published frames: true when the consumer sleeps and this call claimed the IPI.
    bool claim_doorbell() { return arm_.producer_claim(); }

private:
    uint32_t cap_;
    std::deque<Slot> ring_;
    std::deque<GroTag> tags_;
    DoorbellArm arm_;
};

} // namespace offsched::sim
