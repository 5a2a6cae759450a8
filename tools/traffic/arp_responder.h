// Answers the guest's ARP requests for addresses this tool speaks for (the legitimate clients),
// so the guest's replies find their way back without static neighbour entries.
#pragma once

#include <cstdint>

#include "tools/traffic/frame_link.h"

namespace offsched::traffic {

struct Ipv4Net {
    uint32_t addr = 0; // host order, masked
    uint32_t prefix = 32;
    bool contains(uint32_t ip) const { return prefix == 0 || (ip >> (32 - prefix)) == (addr >> (32 - prefix)); }
};

class ArpResponder {
public:
    ArpResponder(FrameLink& link, const uint8_t mac[6], Ipv4Net answer_for);
    // True when the frame was ARP (answered or not).
    bool handle(const uint8_t* frame, size_t len);
    uint64_t replies() const { return replies_; }

private:
    FrameLink& link_;
    uint8_t mac_[6];
    Ipv4Net net_;
    uint64_t replies_ = 0;
};

} // namespace offsched::traffic
