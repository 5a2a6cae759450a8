// One received or transmitted Ethernet frame as the NIC queue presents it.
#pragma once

#include "model/types.h"

namespace offsched {

struct Frame {
    u8* data = nullptr; // borrowed: valid until the next rx_burst() on the same queue
    u16 len = 0;        // bytes in data (may be less than a full header: parse defensively)
    u16 queue = 0;      // NIC queue it arrived on
    u32 rss_hash = 0;   // hash the NIC computed to pick the queue (0 if none)
    u64 rx_cycles = 0;  // Clock::cycles() when the NIC wrote it (for latency accounting)
};

// Largest frame a service buffers or passes on (standard MTU + Ethernet header + VLAN tag).
constexpr u16 kMaxFrameLen = 1518;

} // namespace offsched
