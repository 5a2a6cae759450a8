// Defensive Ethernet/IPv4/IPv6/TCP/UDP parser. Every length is checked against the bytes actually
// present before it is read, so any frame (truncated, garbage, hostile) yields either a fully
// described ParsedFrame or one ParseError naming the first problem. Never reads past len, and
// IPv6 extension headers are walked at most kMaxIpv6ExtHeaders deep, so no frame costs more than
// a bounded number of steps.
#pragma once

#include "model/types.h"
#include "services/net/headers.h"

namespace offsched::net {

enum class ParseError : u8 {
    Ok = 0,
    EthTruncated,     // fewer than 14 bytes
    VlanTruncated,    // 802.1Q tag announced but cut short
    NotIp,            // ethertype not parsed (ARP, ...; IPv6 when IPv4 only was asked): not malformed
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
    Ipv6Truncated,    // fewer than 40 bytes after the Ethernet header
    Ipv6BadVersion,   // version nibble != 6
    Ipv6BadPayloadLen, // payload length 0 (jumbogram) or beyond the bytes present
    Ipv6ExtTruncated, // an extension header runs past the payload
    Ipv6ExtTooMany,   // more than kMaxIpv6ExtHeaders extension headers
    Ipv6ExtOrder,     // hop-by-hop options anywhere but first (RFC 8200 4.1)
    Ipv6BadOption,    // an option runs past its header, or asks unknown-option handling other than skip
    Ipv6Fragment,     // a fragment (offset or M set): services do not reassemble
    Icmp6Truncated,   // fewer than 4 bytes of ICMPv6 header
    Count
};

// Extension headers walked before a frame is malformed (Linux walks without a bound; XDP
// programs bound it for the verifier, typically 6 to 8).
constexpr u8 kMaxIpv6ExtHeaders = 8;

// Which network layers parse_frame describes. Most callers speak IPv4 only (the sim's frames,
// the traffic tools); the firewall filters both.
enum class IpFamilies : u8 { Ipv4, Ipv4AndIpv6 };

// Stable snake_case names (stat names, logs).
const char* parse_error_name(ParseError e);

struct ParsedFrame {
    u8 dst_mac[6];
    u8 src_mac[6];
    u16 ethertype;      // after an optional VLAN tag
    u16 vlan_tci;       // 0 when untagged
    bool has_vlan;
    // IP (valid when the result is Ok)
    u8 ip_version;      // 4 or 6
    u16 l3_offset;      // start of the IP header in the frame
    u16 ip_header_len;  // IPv6: 40 + the extension headers
    u16 ip_total_len;   // from the header; bytes after l3_offset + ip_total_len are padding
    u16 ip_id;          // IPv4 only
    u8 ttl;             // IPv6: hop limit
    u8 proto;           // IPv6: the upper layer after the extension headers
    u32 src_ip;         // IPv4, host order; IPv6: the address's four words XORed (hashing only)
    u32 dst_ip;
    u8 ext_headers;     // IPv6 extension headers walked
    u8 icmp_type;       // ICMPv6 only (neighbour discovery is 133 to 137)
    u8 icmp_code;
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
    // IPv6 only (ip_version 6), host order, [0] the high 64 bits. Last and not zeroed for other
    // frames, so the IPv4 path does not pay for them: read them only after checking ip_version.
    u64 src_ip6[2];
    u64 dst_ip6[2];
};

ParseError parse_frame(const u8* data, u16 len, ParsedFrame* out, IpFamilies families = IpFamilies::Ipv4);

// A connection attempt: TCP with SYN set and ACK and RST clear (what a SYN flood sends; a
// SYN-ACK answers one, SYN|RST is nonsense a stack drops).
inline bool is_pure_syn(const ParsedFrame& p)
{
    return p.proto == kIpProtoTcp && (p.tcp_flags & (kTcpSyn | kTcpAck | kTcpRst)) == kTcpSyn;
}

// Verifies the TCP/UDP checksum of a frame that parsed Ok (UDP checksum 0 means "none": true).
bool l4_checksum_ok(const u8* data, const ParsedFrame& p);

} // namespace offsched::net
