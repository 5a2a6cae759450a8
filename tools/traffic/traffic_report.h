// The traffic run's outcome as integers (counts, ns, parts per million): JSON for scripts.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/traffic/tcp_clients.h"

namespace offsched::traffic {

struct LinkCounts {
    uint64_t flood_sent = 0;
    bool flood_malformed = false; // --flood-malformed: the flood cycled through malformed.h's kinds
    bool flood_ipv6 = false;      // --flood-src6: the flood was IPv6
    uint64_t frames_sent = 0;
    uint64_t frames_received = 0;
    uint64_t replies_to_flood = 0; // guest frames addressed to a spoofed flood source
    uint64_t arp_replies = 0;
    uint64_t nd_advertisements = 0; // answers to the guest's neighbour solicitations for its IPv6 gateway
    uint64_t send_errors = 0;
    uint64_t duration_ns = 0;
};

nlohmann::ordered_json make_report(const std::vector<Connection>& conns, const LinkCounts& counts);

// What the guest sent back to flood sources, and the flood sent, per whole second since start():
// a SYN-ACK answers a SYN (backscatter: the guest spent a SYN-ACK, and a cookie or a request
// socket, on a spoofed address), a RST refuses one, anything else (ICMP, a bare ACK...) is other.
class ReplyTally {
public:
    enum class Kind { SynAck, Rst, Other };
    struct Second {
        uint64_t sent = 0, synack = 0, rst = 0, other = 0;
    };

    void start(Clock::time_point t) { start_ = t; }
    void sent(Clock::time_point now, uint64_t n) { at(now).sent += n; }
    void reply(Clock::time_point now, Kind k);
    // The guest's frame `frame` to a flood source: its kind (parsed: TCP flags, else Other).
    static Kind classify(const uint8_t* frame, size_t len);

    Second total() const;
    const std::vector<Second>& seconds() const { return seconds_; }
    // {"synack": n, "rst": n, "other": n, "per_second": [{"t": 0, "sent": n, "synack": n, ...}, ...]}
    nlohmann::ordered_json report() const;

private:
    Second& at(Clock::time_point now);

    Clock::time_point start_{};
    std::vector<Second> seconds_;
};

} // namespace offsched::traffic
