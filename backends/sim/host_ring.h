// The ring between an offload core and one OS core (the sim side of model/HostPath): frames the
// service passed, already classified into slots, drained by that OS core's NAPI poll. `armed`
// is the doorbell state: an IPI is only needed when the OS side is not already polling.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "backends/sim/packet.h"

namespace offsched::sim {

// The IPI vector a HostPath doorbell uses.
constexpr uint32_t kHostPathVector = 0xf1;

class HostRing {
public:
    explicit HostRing(uint32_t capacity) : cap_(capacity) {}

    bool push(const Slot& s)
    {
        if (ring_.size() >= cap_) return false;
        ring_.push_back(s);
        return true;
    }
    uint32_t take(uint32_t max, std::vector<Slot>& out)
    {
        uint32_t n = 0;
        while (n < max && !ring_.empty()) {
            out.push_back(ring_.front());
            ring_.pop_front();
            ++n;
        }
        return n;
    }
    bool empty() const { return ring_.empty(); }
    const std::deque<Slot>& contents() const { return ring_; }

    bool armed = true; // OS side idle: the next doorbell must send an IPI

private:
    uint32_t cap_;
    std::deque<Slot> ring_;
};

} // namespace offsched::sim
