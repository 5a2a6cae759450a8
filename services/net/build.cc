#include "services/net/build.h"

#include "services/net/byte_order.h"
#include "services/net/checksum.h"
#include "services/net/headers.h"

namespace offsched::net {

namespace {

u16 tcp_options_len(const TcpSpec& s)
{
    if (s.timestamps) return static_cast<u16>((s.mss ? 4 : 0) + 12 + (s.wscale != 0xff ? 4 : 0));
    u16 n = 0;
    if (s.mss) n += 4;
    if (s.wscale != 0xff) n += 3;
    if (s.sack_perm) n += 2;
    return static_cast<u16>((n + 3) & ~3u); // padded with NOP/END to a 32-bit boundary
}

u32 frame_len_or_zero(const L3Addrs& a, u32 l4_len)
{
    const u32 ip_total = (a.ipv6 ? kIpv6HeaderLen : kIpv4MinHeaderLen) + l4_len;
    return ip_total > 0xffff ? 0 : kEthHeaderLen + ip_total;
}

u8* write_l2_ipv6(const L3Addrs& a, u8 proto, u16 l4_len, u8* buf)
{
    store_be16(buf + 12, kEtherTypeIpv6);
    u8* ip = buf + kEthHeaderLen;
    store_be32(ip, 0x60000000u); // version 6, traffic class 0, flow label 0
    store_be16(ip + 4, l4_len);
    ip[6] = proto;
    ip[7] = a.ttl ? a.ttl : 64;
    store_be64(ip + 8, a.src_ip6[0]);
    store_be64(ip + 16, a.src_ip6[1]);
    store_be64(ip + 24, a.dst_ip6[0]);
    store_be64(ip + 32, a.dst_ip6[1]);
    return ip + kIpv6HeaderLen;
}

u16 checksum_of(const L3Addrs& a, u8 proto, const u8* l4, u16 l4_len)
{
    if (!a.ipv6) return l4_checksum(a.src_ip, a.dst_ip, proto, l4, l4_len);
    const u8* ip = l4 - kIpv6HeaderLen;
    return l4_checksum6(ip + 8, ip + 24, proto, l4, l4_len);
}

// Ethernet + IPv4 header (no options) or IPv6 header; returns a pointer to the L4 header.
u8* write_l2_l3(const L3Addrs& a, u8 proto, u16 l4_len, u8* buf)
{
    copy_bytes(buf, a.dst_mac, 6);
    copy_bytes(buf + 6, a.src_mac, 6);
    if (a.ipv6) return write_l2_ipv6(a, proto, l4_len, buf);
    store_be16(buf + 12, kEtherTypeIpv4);
    u8* ip = buf + kEthHeaderLen;
    ip[0] = 0x45;
    ip[1] = 0;
    store_be16(ip + 2, static_cast<u16>(kIpv4MinHeaderLen + l4_len));
    store_be16(ip + 4, a.ip_id);
    store_be16(ip + 6, kIpFlagDontFragment);
    ip[8] = a.ttl ? a.ttl : 64;
    ip[9] = proto;
    store_be16(ip + 10, 0);
    store_be32(ip + 12, a.src_ip);
    store_be32(ip + 16, a.dst_ip);
    store_be16(ip + 10, ipv4_header_checksum(ip, kIpv4MinHeaderLen));
    return ip + kIpv4MinHeaderLen;
}

} // namespace

u16 tcp_frame_len(const TcpSpec& s)
{
    return static_cast<u16>(frame_len_or_zero(s.addr, kTcpMinHeaderLen + tcp_options_len(s) + u32{s.payload_len}));
}

u16 udp_frame_len(const UdpSpec& s)
{
    return static_cast<u16>(frame_len_or_zero(s.addr, kUdpHeaderLen + u32{s.payload_len}));
}

u16 build_tcp(const TcpSpec& s, u8* buf, u16 cap)
{
    const u16 opt_len = tcp_options_len(s);
    const u16 len = static_cast<u16>(frame_len_or_zero(s.addr, kTcpMinHeaderLen + opt_len + u32{s.payload_len}));
    if (len == 0 || len > cap) return 0;
    const u16 hdr_len = static_cast<u16>(kTcpMinHeaderLen + opt_len);
    const u16 l4_len = static_cast<u16>(hdr_len + s.payload_len);
    u8* tcp = write_l2_l3(s.addr, kIpProtoTcp, l4_len, buf);
    store_be16(tcp, s.addr.src_port);
    store_be16(tcp + 2, s.addr.dst_port);
    store_be32(tcp + 4, s.seq);
    store_be32(tcp + 8, s.ack);
    tcp[12] = static_cast<u8>((hdr_len / 4) << 4);
    tcp[13] = s.flags;
    store_be16(tcp + 14, s.window);
    store_be16(tcp + 16, 0);
    store_be16(tcp + 18, 0);
    u8* o = tcp + kTcpMinHeaderLen;
    if (s.mss) { o[0] = kTcpOptMss; o[1] = 4; store_be16(o + 2, s.mss); o += 4; }
    if (s.timestamps) {
        if (s.sack_perm) { o[0] = kTcpOptSackPerm; o[1] = 2; }
        else { o[0] = kTcpOptNop; o[1] = kTcpOptNop; }
        o[2] = kTcpOptTimestamp;
        o[3] = 10;
        store_be32(o + 4, s.tsval);
        store_be32(o + 8, s.tsecr);
        o += 12;
        if (s.wscale != 0xff) { o[0] = kTcpOptNop; o[1] = kTcpOptWscale; o[2] = 3; o[3] = s.wscale; o += 4; }
    } else {
        if (s.wscale != 0xff) { o[0] = kTcpOptWscale; o[1] = 3; o[2] = s.wscale; o += 3; }
        if (s.sack_perm) { o[0] = kTcpOptSackPerm; o[1] = 2; o += 2; }
    }
    while (o < tcp + hdr_len) *o++ = kTcpOptEnd;
    if (s.payload_len) copy_bytes(tcp + hdr_len, s.payload, s.payload_len);
    store_be16(tcp + 16, checksum_of(s.addr, kIpProtoTcp, tcp, l4_len));
    return len;
}

u16 build_udp(const UdpSpec& s, u8* buf, u16 cap)
{
    const u16 len = udp_frame_len(s);
    if (len == 0 || len > cap) return 0;
    const u16 l4_len = static_cast<u16>(kUdpHeaderLen + s.payload_len);
    u8* udp = write_l2_l3(s.addr, kIpProtoUdp, l4_len, buf);
    store_be16(udp, s.addr.src_port);
    store_be16(udp + 2, s.addr.dst_port);
    store_be16(udp + 4, l4_len);
    store_be16(udp + 6, 0);
    if (s.payload_len) copy_bytes(udp + kUdpHeaderLen, s.payload, s.payload_len);
    u16 c = checksum_of(s.addr, kIpProtoUdp, udp, l4_len);
    store_be16(udp + 6, c == 0 ? 0xffff : c); // 0 would mean "no checksum" (RFC 768)
    return len;
}

} // namespace offsched::net
