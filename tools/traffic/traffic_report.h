// The traffic run's outcome as integers (counts, ns, parts per million): JSON for scripts.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/traffic/tcp_clients.h"

namespace offsched::traffic {

struct LinkCounts {
    uint64_t flood_sent = 0;
    uint64_t frames_sent = 0;
    uint64_t frames_received = 0;
    uint64_t replies_to_flood = 0; // guest frames addressed to a spoofed flood source
    uint64_t arp_replies = 0;
    uint64_t send_errors = 0;
    uint64_t duration_ns = 0;
};

nlohmann::ordered_json make_report(const std::vector<Connection>& conns, const LinkCounts& counts);

} // namespace offsched::traffic
