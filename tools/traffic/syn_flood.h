// A paced SYN flood: spoofed sources drawn from a weighted mix of networks (minus excluded ones),
// random source ports and sequence numbers, sent at a fixed rate (frames due are computed from
// elapsed time, so a slow tick catches up instead of lowering the rate).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "model/ip_prefix.h"
#include "services/net/build.h"
#include "services/net/parse.h"
#include "tools/traffic/arp_responder.h"
#include "tools/traffic/frame_link.h"
#include "tools/traffic/malformed.h"

namespace offsched::traffic {

// Where flood sources come from: networks with weights (the share of frames each gets), minus
// excluded networks (e.g. the victim's on-link /24 inside its own /16, so that the victim routes
// its answers to the gateway instead of ARPing for addresses nobody owns).
struct SourceMix {
    struct Entry {
        Ipv4Net net;
        uint32_t weight;
    };
    std::vector<Entry> entries;
    std::vector<Ipv4Net> exclude;

    SourceMix() = default;
    SourceMix(const Ipv4Net& n) : entries{{n, 1}} {} // NOLINT: one network, as before the mix existed

    // "10.1.0.0/16:1,198.18.0.0/15:3" (weight defaults to 1) and "10.1.0.0/24,..." (may be
    // empty). Errors (bad CIDR, weight 0, an entry the exclusions cover entirely) go to *why.
    static std::optional<SourceMix> parse(const std::string& spec, const std::string& exclude, std::string* why);

    // In some entry and in no exclusion.
    bool contains(uint32_t ip) const;
    // An address drawn by weight, then uniformly within the entry, redrawn while excluded.
    uint32_t pick(std::mt19937_64& rng) const;
    std::string describe() const;
};

struct FloodParams {
    uint64_t rate_pps = 0;
    SourceMix sources;         // spoofed source addresses
    uint8_t src_mac[6] = {};
    uint8_t dst_mac[6] = {};
    uint32_t dst_ip = 0;
    uint16_t dst_port = 80;
    bool malformed = false;    // each SYN rewritten into the next kind of malformed.h, in turn
    // An IPv6 flood instead: sources uniformly random in src6 (sources above is unused), to dst6.
    std::optional<IpPrefix> src6;
    uint64_t dst6[2] = {};
};

class SynFlood {
public:
    SynFlood(FrameLink& link, const FloodParams& p, uint64_t seed);
    void start(std::chrono::steady_clock::time_point now);
    // Sends every frame due by `now` (at most max_burst per call).
    void tick(std::chrono::steady_clock::time_point now, uint64_t max_burst = 4096);
    uint64_t sent() const { return sent_; }
    bool is_source(uint32_t ip) const { return p_.rate_pps && !p_.src6 && p_.sources.contains(ip); }
    // Whether a frame's destination is a spoofed source of this flood (IPv4 or IPv6).
    bool is_source(const net::ParsedFrame& p) const
    {
        if (!p_.rate_pps) return false;
        if (p_.src6) return p.ip_version == 6 && prefix_contains_v6(*p_.src6, p.dst_ip6);
        return p.ip_version == 4 && is_source(p.dst_ip);
    }

private:
    void pick_ipv6(net::L3Addrs* a);
    FrameLink& link_;
    FloodParams p_;
    std::mt19937_64 rng_;
    std::chrono::steady_clock::time_point start_;
    uint64_t sent_ = 0;
};

} // namespace offsched::traffic
