#include "backends/sim/machine/ledger.h"

namespace offsched::sim {

namespace {
const char* const kDrops[] = {"nic_ring_full", "host_ring_full", "syn_no_cookie", "accept_queue_full",
                              "ack_without_state", "service", "xdp", "lrp_channel_full"};
const char* const kFates[] = {"nic_ring_full", "in_nic_ring", "os_request_sock", "os_syn_cookie", "os_synproxy", "os_dropped",
                              "in_host_ring", "host_ring_full", "service_answered", "service_dropped",
                              "os_xdp_dropped", "os_lrp_channel_full", "in_lrp_channel"};
static_assert(sizeof kDrops / sizeof *kDrops == static_cast<size_t>(Drop::Count));
static_assert(sizeof kFates / sizeof *kFates == static_cast<size_t>(FloodFate::Count));
} // namespace

const char* drop_name(Drop d) { return kDrops[static_cast<uint32_t>(d)]; }
const char* flood_fate_name(FloodFate f) { return kFates[static_cast<uint32_t>(f)]; }

std::vector<std::pair<std::string, uint64_t>> Ledger::drop_list() const
{
    std::vector<std::pair<std::string, uint64_t>> v;
    for (uint32_t i = 0; i < static_cast<uint32_t>(Drop::Count); ++i) v.emplace_back(kDrops[i], drops[i]);
    return v;
}

std::vector<std::pair<std::string, uint64_t>> Ledger::fate_list() const
{
    std::vector<std::pair<std::string, uint64_t>> v;
    for (uint32_t i = 0; i < static_cast<uint32_t>(FloodFate::Count); ++i) v.emplace_back(kFates[i], flood[i]);
    return v;
}

} // namespace offsched::sim
