// The way from the host to the wire, through the service: frames the OS network stack transmits
// on a NIC the service owns. A service that declares it needs this channel (ServiceNeeds::host_tx)
// takes the host's frames and puts each on the wire itself (NicQueue::tx_burst), changed or not,
// or drops it; the backend then transmits nothing of the host's on its own. A SYN proxy needs it
// to translate the server's sequence numbers; a service that does not declare it never sees them.
#pragma once

#include "model/frame.h"

namespace offsched {

class HostTx {
public:
    // Up to max frames the host transmitted, oldest first. Borrowed like rx_burst's frames: valid
    // and writable until the next take(). Frame::queue is the index (in ServiceEnv::queues) of the
    // queue the flow belongs to: backends hand a flow's host frames to the service instance that
    // owns the flow's receive queue, so per-flow state stays on one core.
    virtual u32 take(Frame* out, u32 max) = 0;

protected:
    ~HostTx() = default;
};

} // namespace offsched
