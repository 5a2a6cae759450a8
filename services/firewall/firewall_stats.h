// Firewall counters: ids, and the stable names/help backends print and export.
#pragma once

#include "model/stats.h"
#include "services/net/parse.h"

namespace offsched::firewall {

enum Stat : u32 {
    kRx,
    kPassed,
    kDroppedRule,
    kDroppedRateLimit,
    kDroppedSynLimit,
    kDroppedMalformed,
    kDroppedNonIp,
    kDroppedNoFlow,
    kHostRingFull,
    kDoorbells,
    kCookiesSent,
    kCookiesValid,
    kCookiesInvalid,
    kCookieTxFull,
    kSynSynthesized,
    kBucketEvictions,
    kFlowEvictions,
    // one per ParseError cause (Ok and NotIpv4 excluded), then the L4 checksum
    kMalformedFirst,
    kMalformedL4Checksum = kMalformedFirst + static_cast<u32>(net::ParseError::Count) - 2,
    kRuleHitsFirst,
    kStatCount = kRuleHitsFirst + 16,
};

inline constexpr StatDesc kStatDescs[kStatCount] = {
    {"rx", "frames taken from the NIC queues"},
    {"passed", "frames handed to the OS (incl. reconstructed SYNs)"},
    {"dropped_rule", "dropped by a drop rule or the default action"},
    {"dropped_ratelimit", "dropped by a per-source ratelimit bucket"},
    {"dropped_syn_limit", "SYNs dropped by the global SYN bucket"},
    {"dropped_malformed", "frames that failed parsing (see malformed_*)"},
    {"dropped_non_ip", "non-IPv4 frames dropped (pass_non_ip false)"},
    {"dropped_no_flow", "cookie-protected segments of unknown flows that are not ACKs"},
    {"host_ring_full", "frames dropped because the OS cpu's ring was full"},
    {"doorbells", "doorbells rung (at most one per OS cpu per step)"},
    {"cookies_sent", "SYN-ACK cookies transmitted"},
    {"cookies_valid", "ACKs whose cookie validated (connections passed up)"},
    {"cookies_invalid", "ACKs to protected ports of unknown flows with a bad or expired cookie"},
    {"cookie_tx_full", "SYN-ACK cookies the NIC queue refused"},
    {"syn_synthesized", "SYNs reconstructed from a valid cookie and passed up"},
    {"bucket_evictions", "per-source buckets evicted from a full probe window"},
    {"flow_evictions", "validated flows evicted from a full probe window"},
    {"malformed_eth_truncated", "shorter than an Ethernet header"},
    {"malformed_vlan_truncated", "VLAN tag cut short"},
    {"malformed_ipv4_truncated", "shorter than an IPv4 header"},
    {"malformed_ipv4_bad_version", "IP version is not 4"},
    {"malformed_ipv4_bad_ihl", "IPv4 header length invalid"},
    {"malformed_ipv4_bad_total_len", "IPv4 total length invalid"},
    {"malformed_ipv4_bad_checksum", "IPv4 header checksum wrong"},
    {"malformed_ipv4_fragment", "IPv4 fragments (not reassembled)"},
    {"malformed_tcp_truncated", "TCP header cut short"},
    {"malformed_tcp_bad_offset", "TCP data offset invalid"},
    {"malformed_tcp_bad_options", "TCP options malformed"},
    {"malformed_udp_truncated", "UDP header cut short"},
    {"malformed_udp_bad_length", "UDP length invalid"},
    {"malformed_l4_checksum", "TCP/UDP checksum wrong (verify_l4_checksum)"},
    {"rule0_hits", "frames matched by rules[0]"},
    {"rule1_hits", "frames matched by rules[1]"},
    {"rule2_hits", "frames matched by rules[2]"},
    {"rule3_hits", "frames matched by rules[3]"},
    {"rule4_hits", "frames matched by rules[4]"},
    {"rule5_hits", "frames matched by rules[5]"},
    {"rule6_hits", "frames matched by rules[6]"},
    {"rule7_hits", "frames matched by rules[7]"},
    {"rule8_hits", "frames matched by rules[8]"},
    {"rule9_hits", "frames matched by rules[9]"},
    {"rule10_hits", "frames matched by rules[10]"},
    {"rule11_hits", "frames matched by rules[11]"},
    {"rule12_hits", "frames matched by rules[12]"},
    {"rule13_hits", "frames matched by rules[13]"},
    {"rule14_hits", "frames matched by rules[14]"},
    {"rule15_hits", "frames matched by rules[15]"},
};

// Counter for a parse failure (e is neither Ok nor NotIpv4).
constexpr u32 malformed_stat(net::ParseError e)
{
    const u32 v = static_cast<u32>(e), skip = static_cast<u32>(net::ParseError::NotIpv4);
    return kMalformedFirst + (v < skip ? v - 1 : v - 2);
}

} // namespace offsched::firewall
