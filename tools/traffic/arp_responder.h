// Answers the guest's ARP requests for addresses this tool speaks for (the legitimate clients),
// so the guest's replies find their way back without static neighbour entries.
#pragma once

#include <cstdint>

#include "model/schema.h"
#include "tools/traffic/frame_link.h"

namespace offsched::traffic {

// A network in host order (model/schema.h's Ipv4Cidr: the same type configs use).
using Ipv4Net = Ipv4Cidr;
inline bool net_contains(const Ipv4Net& n, uint32_t ip)
{
    return n.prefix_len == 0 || (ip >> (32 - n.prefix_len)) == (n.addr >> (32 - n.prefix_len));
}

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
