// Defensive Ethernet/IPv4/TCP/UDP parser. Every length is checked against the bytes actually
// present before it is read, so any frame (truncated, garbage, hostile) yields either a fully
// described ParsedFrame or one ParseError naming the first problem. Never reads past len.
#pragma once

#include "model/types.h"

namespace offsched::net {

enum class ParseError : u8 {
    Ok = 0,
    EthTruncated,     // fewer than 14 bytes
    VlanTruncated,    // 802.1Q tag announced but cut short
    NotIpv4,          // ethertype is not IPv4 (ARP, IPv6, ...): not malformed, just not ours
    Ipv4Truncated,    // fewer than 20 bytes after the Ethernet header
    Ipv4BadVersion,   // version nibble != 4
    Ipv4BadIhl,       // IHL < 5 or header longer than the bytes present / total length
    Ipv4BadTotalLen,  // total length < IHL or > bytes present
    Ipv4BadChecksum,  // header checksum does not verify
    Ipv4Fragment,     // MF set or offset != 0: services do not reassemble
    TcpTruncated,     // fewer than 20 bytes of TCP header
    TcpBadOffset,     // data offset < 5 or beyond the IP payload
    TcpBadOptions,    // an option runs past the header or has an impossible length (incl. SACK)
    UdpTruncated,     // fewer than 8 bytes of UDP header
    UdpBadLength,     // UDP length < 8 or > IP payload
    Count
};

// Stable snake_case names (stat names, logs).
const char* parse_error_name(ParseError e);

struct ParsedFrame {
    u8 dst_mac[6];
    u8 src_mac[6];
    u16 ethertype;      // after an optional VLAN tag
    u16 vlan_tci;       // 0 when untagged
    bool has_vlan;
    // IPv4 (valid when the result is Ok)
    u16 l3_offset;      // start of the IPv4 header in the frame
    u16 ip_header_len;
    u16 ip_total_len;   // from the header; bytes after l3_offset + ip_total_len are padding
    u16 ip_id;
    u8 ttl;
    u8 proto;
    u32 src_ip;         // host order
    u32 dst_ip;
    // L4: ports are 0 for protocols other than TCP/UDP
    u16 l4_offset;
    u16 l4_len;         // IP payload length (header + data)
    u16 src_port;
    u16 dst_port;
    u16 payload_offset; // first byte after the TCP/UDP header
    u16 payload_len;
    // TCP only
    u32 seq;
    u32 ack;
    u8 tcp_flags;
    u16 window;
    u16 mss;            // MSS option, 0 if absent
    u8 wscale;          // window scale option, 0xff if absent
    bool sack_perm;
    bool has_timestamp;
    u32 tsval;          // timestamp option (valid when has_timestamp)
    u32 tsecr;
    u16 ts_offset;      // frame offset of the timestamp option's TSval (0: none)
    u16 sack_offset;    // frame offset of the first SACK block (0: none)
    u8 sack_blocks;     // SACK blocks there, 8 bytes each (start, end)
};

ParseError parse_frame(const u8* data, u16 len, ParsedFrame* out);

// Verifies the TCP/UDP checksum of a frame that parsed Ok (UDP checksum 0 means "none": true).
bool l4_checksum_ok(const u8* data, const ParsedFrame& p);

} // namespace offsched::net
