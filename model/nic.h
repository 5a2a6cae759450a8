// A NIC queue the service owns exclusively: no interrupts, polled.
// Ownership rule (as DPDK's rx_burst): frames returned by rx_burst stay valid until the next
// rx_burst on that queue; the service decides drop (do nothing), tx_burst or HostPath::pass,
// both of which copy.
#pragma once

#include "model/frame.h"

namespace offsched {

class NicQueue {
public:
    virtual u32 rx_burst(Frame* out, u32 max) = 0;
    // Returns how many were queued; the rest are dropped by the caller's choice.
    virtual u32 tx_burst(const Frame* frames, u32 n) = 0;
    // Our station address, for building replies (SYN cookies, rtop datagrams).
    virtual void mac(u8 out[6]) const = 0;

protected:
    ~NicQueue() = default;
};

} // namespace offsched
