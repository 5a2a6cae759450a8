// Frame builders: write a complete, checksummed Ethernet/IPv4 or IPv6/TCP or UDP frame into a caller's
// buffer. TCP options with timestamps are laid out as Linux and netfilter's SYNPROXY write them
// (MSS, SACK-permitted + timestamps or NOP NOP + timestamps, NOP + window scale); without
// timestamps, MSS, window scale and SACK-permitted follow each other, padded with END. The sim uses them to materialise the frames it feeds services; services use them for
// replies (SYN-ACK cookies, rtop datagrams). Frames are not padded to 60 bytes (no FCS either).
#pragma once

#include "model/types.h"

namespace offsched::net {

struct L3Addrs {
    u8 src_mac[6];
    u8 dst_mac[6];
    u32 src_ip; // host order
    u32 dst_ip;
    bool ipv6;  // an IPv6 header with src_ip6/dst_ip6 instead (no extension headers)
    u64 src_ip6[2]; // host order, [0] the high 64 bits
    u64 dst_ip6[2];
    u16 src_port;
    u16 dst_port;
    u8 ttl;     // 0 means 64 (IPv6: the hop limit)
    u16 ip_id;  // IPv4 only
};

struct TcpSpec {
    L3Addrs addr;
    u32 seq;
    u32 ack;
    u8 flags;        // kTcpSyn | kTcpAck ...
    u16 window;
    u16 mss;         // 0: no MSS option
    u8 wscale;       // 0xff: no window scale option
    bool sack_perm;  // SACK-permitted option
    bool timestamps; // timestamp option with tsval/tsecr
    u32 tsval;
    u32 tsecr;
    const u8* payload;
    u16 payload_len;
};

struct UdpSpec {
    L3Addrs addr;
    const u8* payload;
    u16 payload_len;
};

// Bytes build_tcp/build_udp will write for a spec.
u16 tcp_frame_len(const TcpSpec& s);
u16 udp_frame_len(const UdpSpec& s);

// Return the frame length, or 0 (buffer untouched) when it does not fit in cap bytes or would
// exceed an IP total length of 65535.
u16 build_tcp(const TcpSpec& s, u8* buf, u16 cap);
u16 build_udp(const UdpSpec& s, u8* buf, u16 cap);

} // namespace offsched::net
