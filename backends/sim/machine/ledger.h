// Where every packet went. One ledger per design run; each counter has one meaning, and the
// flood buckets partition the offered flood exactly (checked by tests/sim).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "backends/sim/machine/packet.h"

namespace offsched::sim {

enum class Drop : uint32_t {
    NicRingFull,      // RX ring had no free descriptor
    HostRingFull,     // an offload core's HostPath::pass found the OS ring full
    SynNoCookie,      // request queue full and syncookies off
    AcceptQueueFull,  // handshake done but the listener's accept queue is full
    AckWithoutState,  // ACK matching no request sock and no cookie we issued (RST)
    Service,          // the service took the frame and neither passed nor answered it
    Xdp,              // dropped in the OS driver by an XDP-like program (os.xdp_drop)
    LrpChannelFull,   // os.rx_mode lrp: the receiver's channel was full at demux (early discard)
    Count
};

enum class FloodFate : uint32_t {
    NicRingFull,
    InNicRing,        // still queued in a NIC ring when the run ended
    OsRequestSock,    // got a request sock (fills the SYN backlog)
    OsSynCookie,      // answered with a SYN cookie by the OS
    OsSynproxy,       // answered by netfilter's SYNPROXY in the OS (os.synproxy)
    OsDropped,        // request queue full, cookies off
    InHostRing,       // passed by a service, still queued towards the OS at the end
    HostRingFull,     // passed by a service, OS ring full
    ServiceAnswered,  // the service replied itself (e.g. its own SYN cookie)
    ServiceDropped,   // the service dropped it
    OsXdpDropped,     // dropped in the OS driver by an XDP-like program (os.xdp_drop)
    OsLrpChannelFull, // os.rx_mode lrp: discarded at demux, the receiver's channel full
    InLrpChannel,     // os.rx_mode lrp: demultiplexed, still waiting for its receiver at the end
    Count
};

const char* drop_name(Drop d);
const char* flood_fate_name(FloodFate f);

struct Ledger {
    uint64_t drops[static_cast<uint32_t>(Drop::Count)] = {};
    uint64_t flood[static_cast<uint32_t>(FloodFate::Count)] = {};
    uint64_t arrivals[static_cast<uint32_t>(PktKind::Count)] = {}; // offered at the NIC

    void drop(Drop d, uint64_t n = 1) { drops[static_cast<uint32_t>(d)] += n; }
    void fate(FloodFate f, uint64_t n = 1) { flood[static_cast<uint32_t>(f)] += n; }
    uint64_t& fate_ref(FloodFate f) { return flood[static_cast<uint32_t>(f)]; }

    std::vector<std::pair<std::string, uint64_t>> drop_list() const;
    std::vector<std::pair<std::string, uint64_t>> fate_list() const;
};

} // namespace offsched::sim
