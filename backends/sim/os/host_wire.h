// What the host's TCP stack transmits to a legitimate client, and the way it takes. The model
// moves segments as WireSeg records (no bytes) from the listener and the server application to
// the client model. Where a service declared it needs the host's frames (ServiceNeeds::host_tx),
// the machine routes them to the offload core that owns the connection's queue, which sees them
// as real frames (SimHostTx); otherwise they go straight to the wire (DirectWire).
#pragma once

#include <cstdint>

namespace offsched::sim {

// One TCP segment between the server and a legitimate client, in the numbers on the wire.
struct WireSeg {
    uint8_t flags = 0;     // net::kTcp* bits
    uint32_t seq = 0;
    uint32_t ack = 0;
    uint16_t window = 0;   // as in the header (SYN-ACK: unscaled)
    uint16_t payload = 0;  // bytes of data
    uint32_t tsval = 0;    // timestamp option
    uint32_t tsecr = 0;
};

class HostWire {
public:
    // The host sends s to connection conn at t_ns (sender_ps: the sender's exact time).
    virtual void send(uint32_t conn, const WireSeg& s, uint64_t t_ns) = 0;

protected:
    ~HostWire() = default;
};

// The TCP payload of one response segment (MSS 1460 minus the 12-byte timestamp option).
constexpr uint16_t kResponseSegmentBytes = 1448;

} // namespace offsched::sim
