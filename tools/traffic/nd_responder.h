// Answers the guest's IPv6 neighbour solicitations for one address this tool speaks for (the
// guest's IPv6 gateway), as ArpResponder does for IPv4: a flood SYN the guest answered would
// then leave towards its spoofed source and be counted, and the solicitation and advertisement
// cross the firewall's neighbour-discovery path both ways.
#pragma once

#include <cstdint>

#include "tools/traffic/frame_link.h"

namespace offsched::traffic {

class NdResponder {
public:
    // addr: host order, [0] the high 64 bits.
    NdResponder(FrameLink& link, const uint8_t mac[6], const uint64_t addr[2]);
    // True when the frame was a neighbour solicitation (answered or not).
    bool handle(const uint8_t* frame, size_t len);
    uint64_t advertisements() const { return sent_; }

private:
    FrameLink& link_;
    uint8_t mac_[6];
    uint8_t addr_[16];
    uint64_t sent_ = 0;
};

} // namespace offsched::traffic
