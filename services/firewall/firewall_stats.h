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
    kBucketEvictions,
    // SYN proxy (the first five as netfilter's /proc/net/stat/synproxy)
    kSynReceived,
    kCookieInvalid,
    kCookieValid,
    kCookieRetrans,
    kConnReopened,
    kCookiesSent,
    kCookieTxFull,
    kProxyEstablished,
    kProxyConns,
    kProxyTableFull,
    kProxyEvictedClosing,
    kProxyExpired,
    kProxyToServer,
    kProxyToClient,
    kProxyEarlyData,
    kProxyServerRst,
    kProxyHostUnexpected,
    kProxyHostUnknown,
    kProxySynackRetrans,
    kProxyRstIgnored,
    kProxyWscaleRescaled,
    kProxyToHost,
    kProxyToHostFull,
    kHostTx,
    kHostTxFull,
    kReloads,
    kIpv6Rx,
    kNdPassed,
    // one per ParseError cause (Ok and NotIp excluded), then the L4 checksum
    kMalformedFirst,
    kMalformedL4Checksum = kMalformedFirst + static_cast<u32>(net::ParseError::Count) - 2,
    // per rule, three counters each (rule_stat()): hits, bytes, last hit
    kRuleFirst,
    kStatCount = kRuleFirst + 3 * 16,
};

enum RuleStat : u32 { kRuleHits, kRuleBytes, kRuleLastHit };
constexpr u32 rule_stat(u32 rule, RuleStat s) { return kRuleFirst + 3 * rule + s; }

// The last hit is the service clock's millisecond counted from 1, so 0 can mean "never"; with
// several cores the backend shows the latest.
#define OFFSCHED_RULE_STATS(n)                                                                                    \
    StatDesc{"rule" #n "_hits", "frames matched by rules[" #n "]"},                                              \
        StatDesc{"rule" #n "_bytes", "bytes of the frames matched by rules[" #n "]"},                            \
        StatDesc{"rule" #n "_last_hit_ms", "service clock (ms, from 1) of the last frame rules[" #n              \
                                           "] matched; 0: never", StatMerge::Max}

inline constexpr StatDesc kStatDescs[kStatCount] = {
    {"rx", "frames taken from the NIC queues"},
    {"passed", "frames handed to the OS (incl. reconstructed SYNs)"},
    {"dropped_rule", "dropped by a drop rule or the default action"},
    {"dropped_ratelimit", "dropped by a per-source ratelimit bucket"},
    {"dropped_syn_limit", "SYNs dropped by the global SYN bucket"},
    {"dropped_malformed", "frames that failed parsing (see malformed_*)"},
    {"dropped_non_ip", "frames neither IPv4 nor IPv6 dropped (pass_non_ip false)"},
    {"dropped_no_flow", "segments to SYN-proxied ports of unknown connections that are not ACKs"},
    {"host_ring_full", "frames dropped because the OS cpu's ring was full"},
    {"doorbells", "doorbells rung (at most one per OS cpu per step)"},
    {"bucket_evictions", "per-source buckets evicted from a full probe window"},
    {"syn_received", "SYNs to proxied ports answered with a cookie"},
    {"cookie_invalid", "ACKs to proxied ports of unknown connections with a bad or expired cookie (dropped)"},
    {"cookie_valid", "ACKs whose cookie validated: connection opened to the server"},
    {"cookie_retrans", "client ACKs or window probes during the server handshake (server SYN sent again)"},
    {"conn_reopened", "SYNs that restarted a closing connection's 4-tuple"},
    {"cookies_sent", "SYN-ACK cookies transmitted"},
    {"cookie_tx_full", "frames the proxy built for clients (SYN-ACK cookies, window updates) the NIC queue refused"},
    {"proxy_established", "server handshakes completed (translated from then on)"},
    {"proxy_conns", "connections in the table now (handshaking, established, closing)"},
    {"proxy_table_full", "valid cookies refused: the connection's table bucket held only live connections (client retries)"},
    {"proxy_evicted_closing", "closing connections evicted early to make room"},
    {"proxy_expired", "connections removed by their handshake, idle or close timeout"},
    {"proxy_to_server", "client segments translated and passed to the host"},
    {"proxy_to_client", "server segments translated and transmitted"},
    {"proxy_early_data", "client segments during the server handshake other than ACKs (dropped)"},
    {"proxy_server_rst", "handshakes the server refused with a RST (relayed to the client)"},
    {"proxy_host_unexpected", "host segments of a handshaking connection other than its SYN-ACK (dropped)"},
    {"proxy_host_unknown", "host segments from proxied ports of connections not in this core's table (sent unchanged)"},
    {"proxy_synack_retrans", "server SYN-ACKs repeated after the handshake (ACKed again, not relayed)"},
    {"proxy_rst_ignored", "RSTs whose sequence number was not the sender's next one: connection not closed (relayed once established, dropped in the handshake)"},
    {"proxy_wscale_rescaled", "connections whose server window scale differs from the advertised one (rescaled)"},
    {"proxy_to_host", "SYNs and ACKs the proxy sent the host for server handshakes"},
    {"proxy_to_host_full", "of those, dropped because the OS cpu's ring was full"},
    {"host_tx", "host frames the service put on the wire (translated or not)"},
    {"host_tx_full", "host frames the NIC queue refused"},
    {"reloads", "configs the service took while running (offschedctl reload, the sim's designs[].reloads)"},
    {"ipv6", "IPv6 frames that parsed (filtered by the same rules and proxied as IPv4's)"},
    {"nd_passed", "IPv6 neighbour discovery passed before the rules (pass_neighbour_discovery)"},
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
    {"malformed_ipv6_truncated", "shorter than an IPv6 header"},
    {"malformed_ipv6_bad_version", "IPv6 ethertype, IP version not 6"},
    {"malformed_ipv6_bad_payload_len", "IPv6 payload length 0 (jumbogram) or beyond the frame"},
    {"malformed_ipv6_ext_truncated", "an IPv6 extension header runs past the payload"},
    {"malformed_ipv6_ext_too_many", "more than 8 IPv6 extension headers"},
    {"malformed_ipv6_ext_order", "IPv6 hop-by-hop options not first"},
    {"malformed_ipv6_bad_option", "IPv6 option overruns its header or asks to discard the packet"},
    {"malformed_ipv6_fragment", "IPv6 fragments (not reassembled)"},
    {"malformed_icmp6_truncated", "ICMPv6 header cut short"},
    {"malformed_l4_checksum", "TCP/UDP checksum wrong (verify_l4_checksum)"},
    OFFSCHED_RULE_STATS(0), OFFSCHED_RULE_STATS(1), OFFSCHED_RULE_STATS(2), OFFSCHED_RULE_STATS(3),
    OFFSCHED_RULE_STATS(4), OFFSCHED_RULE_STATS(5), OFFSCHED_RULE_STATS(6), OFFSCHED_RULE_STATS(7),
    OFFSCHED_RULE_STATS(8), OFFSCHED_RULE_STATS(9), OFFSCHED_RULE_STATS(10), OFFSCHED_RULE_STATS(11),
    OFFSCHED_RULE_STATS(12), OFFSCHED_RULE_STATS(13), OFFSCHED_RULE_STATS(14), OFFSCHED_RULE_STATS(15),
};

// Counter for a parse failure (e is neither Ok nor NotIp).
constexpr u32 malformed_stat(net::ParseError e)
{
    const u32 v = static_cast<u32>(e), skip = static_cast<u32>(net::ParseError::NotIp);
    return kMalformedFirst + (v < skip ? v - 1 : v - 2);
}

#undef OFFSCHED_RULE_STATS

} // namespace offsched::firewall
