// A NIC queue the service owns exclusively: no interrupts, polled.
// Ownership rule (as DPDK's rx_burst): frames returned by rx_burst stay valid until the next
// rx_burst on that queue; the service decides drop, answer (tx_burst of frames of its own) or
// HostPath::pass, both of which copy, and reports that decision for every frame (verdict()).
#pragma once

#include "model/frame.h"

namespace offsched {

// What a service did with a frame it took. Backends book frames by these reports (the sim's
// packet ledger, the module's rx_* counters), never by inference, so a service that loses a
// frame, or reports one twice, is caught.
enum class Verdict : u8 {
    Drop,   // nothing more happens to it
    Answer, // the service acted on it itself: replied, or turned it into frames of its own
    Pass,   // the frame itself (perhaps rewritten) went to HostPath::pass, accepted or not
    Count
};

class NicQueue {
public:
    virtual u32 rx_burst(Frame* out, u32 max) = 0;
    // Returns how many were queued; the rest are dropped by the caller's choice.
    virtual u32 tx_burst(const Frame* frames, u32 n) = 0;
    // Exactly once for every frame rx_burst returned, before the next rx_burst on this queue.
    virtual void verdict(const Frame& f, Verdict v) = 0;
    // Our station address, for building replies (SYN cookies, rtop datagrams).
    virtual void mac(u8 out[6]) const = 0;

protected:
    ~NicQueue() = default;
};

} // namespace offsched
