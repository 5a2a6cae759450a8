// A paced SYN flood: spoofed sources drawn from a network, random source ports and sequence
// numbers, sent at a fixed rate (frames due are computed from elapsed time, so a slow tick
// catches up instead of lowering the rate).
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

#include "tools/traffic/arp_responder.h"
#include "tools/traffic/frame_link.h"

namespace offsched::traffic {

struct FloodParams {
    uint64_t rate_pps = 0;
    Ipv4Net sources{};         // spoofed source addresses
    uint8_t src_mac[6] = {};
    uint8_t dst_mac[6] = {};
    uint32_t dst_ip = 0;
    uint16_t dst_port = 80;
};

class SynFlood {
public:
    SynFlood(FrameLink& link, const FloodParams& p, uint64_t seed);
    void start(std::chrono::steady_clock::time_point now);
    // Sends every frame due by `now` (at most max_burst per call).
    void tick(std::chrono::steady_clock::time_point now, uint64_t max_burst = 4096);
    uint64_t sent() const { return sent_; }
    bool is_source(uint32_t ip) const { return p_.rate_pps && net_contains(p_.sources, ip); }

private:
    FrameLink& link_;
    FloodParams p_;
    std::mt19937_64 rng_;
    std::chrono::steady_clock::time_point start_;
    uint64_t sent_ = 0;
};

} // namespace offsched::traffic
