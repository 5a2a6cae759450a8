#include "services/net/parse.h"

#include "services/net/byte_order.h"
#include "services/net/checksum.h"
#include "services/net/headers.h"

namespace offsched::net {

const char* parse_error_name(ParseError e)
{
    switch (e) {
    case ParseError::Ok: return "ok";
    case ParseError::EthTruncated: return "eth_truncated";
    case ParseError::VlanTruncated: return "vlan_truncated";
    case ParseError::NotIp: return "not_ip";
    case ParseError::Ipv4Truncated: return "ipv4_truncated";
    case ParseError::Ipv4BadVersion: return "ipv4_bad_version";
    case ParseError::Ipv4BadIhl: return "ipv4_bad_ihl";
    case ParseError::Ipv4BadTotalLen: return "ipv4_bad_total_len";
    case ParseError::Ipv4BadChecksum: return "ipv4_bad_checksum";
    case ParseError::Ipv4Fragment: return "ipv4_fragment";
    case ParseError::TcpTruncated: return "tcp_truncated";
    case ParseError::TcpBadOffset: return "tcp_bad_offset";
    case ParseError::TcpBadOptions: return "tcp_bad_options";
    case ParseError::UdpTruncated: return "udp_truncated";
    case ParseError::UdpBadLength: return "udp_bad_length";
    case ParseError::Ipv6Truncated: return "ipv6_truncated";
    case ParseError::Ipv6BadVersion: return "ipv6_bad_version";
    case ParseError::Ipv6BadPayloadLen: return "ipv6_bad_payload_len";
    case ParseError::Ipv6ExtTruncated: return "ipv6_ext_truncated";
    case ParseError::Ipv6ExtTooMany: return "ipv6_ext_too_many";
    case ParseError::Ipv6ExtOrder: return "ipv6_ext_order";
    case ParseError::Ipv6BadOption: return "ipv6_bad_option";
    case ParseError::Ipv6Fragment: return "ipv6_fragment";
    case ParseError::Icmp6Truncated: return "icmp6_truncated";
    case ParseError::Count: break;
    }
    return "unknown";
}

namespace {

// Walks TCP options in opts[0..n) (at frame offset base); fills what services use and rejects
// overruns and impossible lengths.
bool parse_tcp_options(const u8* opts, u16 n, u16 base, ParsedFrame* out)
{
    u16 i = 0;
    while (i < n) {
        const u8 kind = opts[i];
        if (kind == kTcpOptEnd) break;
        if (kind == kTcpOptNop) { ++i; continue; }
        if (i + 1 >= n) return false;
        const u8 olen = opts[i + 1];
        if (olen < 2 || i + olen > n) return false;
        switch (kind) {
        case kTcpOptMss:
            if (olen != 4) return false;
            out->mss = load_be16(opts + i + 2);
            break;
        case kTcpOptWscale:
            if (olen != 3) return false;
            out->wscale = opts[i + 2];
            break;
        case kTcpOptSackPerm:
            if (olen != 2) return false;
            out->sack_perm = true;
            break;
        case kTcpOptTimestamp:
            if (olen != 10) return false;
            out->has_timestamp = true;
            out->tsval = load_be32(opts + i + 2);
            out->tsecr = load_be32(opts + i + 6);
            out->ts_offset = static_cast<u16>(base + i + 2);
            break;
        case kTcpOptSack: // 1..4 blocks of (left edge, right edge) (RFC 2018)
            if (olen < 10 || (olen - 2) % 8 != 0) return false;
            out->sack_offset = static_cast<u16>(base + i + 2);
            out->sack_blocks = static_cast<u8>((olen - 2) / 8);
            break;
        default:
            break;
        }
        i = static_cast<u16>(i + olen);
    }
    return true;
}

ParseError parse_tcp(const u8* l4, u16 n, ParsedFrame* out)
{
    if (n < kTcpMinHeaderLen) return ParseError::TcpTruncated;
    const u16 doff = static_cast<u16>((l4[12] >> 4) * 4);
    if (doff < kTcpMinHeaderLen || doff > n) return ParseError::TcpBadOffset;
    out->src_port = load_be16(l4);
    out->dst_port = load_be16(l4 + 2);
    out->seq = load_be32(l4 + 4);
    out->ack = load_be32(l4 + 8);
    out->tcp_flags = l4[13];
    out->window = load_be16(l4 + 14);
    if (!parse_tcp_options(l4 + kTcpMinHeaderLen, static_cast<u16>(doff - kTcpMinHeaderLen),
                           static_cast<u16>(out->l4_offset + kTcpMinHeaderLen), out))
        return ParseError::TcpBadOptions;
    out->payload_offset = static_cast<u16>(out->l4_offset + doff);
    out->payload_len = static_cast<u16>(n - doff);
    return ParseError::Ok;
}

ParseError parse_udp(const u8* l4, u16 n, ParsedFrame* out)
{
    if (n < kUdpHeaderLen) return ParseError::UdpTruncated;
    const u16 ulen = load_be16(l4 + 4);
    if (ulen < kUdpHeaderLen || ulen > n) return ParseError::UdpBadLength;
    out->src_port = load_be16(l4);
    out->dst_port = load_be16(l4 + 2);
    out->payload_offset = static_cast<u16>(out->l4_offset + kUdpHeaderLen);
    out->payload_len = static_cast<u16>(ulen - kUdpHeaderLen);
    return ParseError::Ok;
}

ParseError parse_l4(const u8* data, ParsedFrame* out)
{
    const u8* l4 = data + out->l4_offset;
    if (out->proto == kIpProtoTcp) return parse_tcp(l4, out->l4_len, out);
    if (out->proto == kIpProtoUdp) return parse_udp(l4, out->l4_len, out);
    if (out->proto == kIpProtoIcmpv6 && out->ip_version == 6) {
        if (out->l4_len < kIcmpv6MinHeaderLen) return ParseError::Icmp6Truncated;
        out->icmp_type = l4[0];
        out->icmp_code = l4[1];
    }
    return ParseError::Ok;
}

ParseError parse_ipv4(const u8* data, u16 off, u16 len, ParsedFrame* out)
{
    const u8* ip = data + off;
    const u16 avail = static_cast<u16>(len - off);
    if (avail < kIpv4MinHeaderLen) return ParseError::Ipv4Truncated;
    if ((ip[0] >> 4) != 4) return ParseError::Ipv4BadVersion;
    const u16 ihl = static_cast<u16>((ip[0] & 0x0f) * 4);
    if (ihl < kIpv4MinHeaderLen || ihl > avail) return ParseError::Ipv4BadIhl;
    const u16 total = load_be16(ip + 2);
    if (total < ihl || total > avail) return ParseError::Ipv4BadTotalLen;
    if (ipv4_header_checksum(ip, ihl) != 0) return ParseError::Ipv4BadChecksum;
    const u16 frag = load_be16(ip + 6);
    if ((frag & kIpFlagMoreFragments) || (frag & kIpFragOffsetMask)) return ParseError::Ipv4Fragment;

    out->ip_version = 4;
    out->l3_offset = off;
    out->ip_header_len = ihl;
    out->ip_total_len = total;
    out->ip_id = load_be16(ip + 4);
    out->ttl = ip[8];
    out->proto = ip[9];
    out->src_ip = load_be32(ip + 12);
    out->dst_ip = load_be32(ip + 16);
    out->l4_offset = static_cast<u16>(off + ihl);
    out->l4_len = static_cast<u16>(total - ihl);
    out->payload_offset = out->l4_offset;
    out->payload_len = out->l4_len;
    return ParseError::Ok;
}

// The TLV options of a hop-by-hop or destination options header (RFC 8200 4.2): each must fit,
// and an unknown one must be of the "skip over it" kind (its two high bits 00); the others tell
// a receiver to discard the packet, which is what the host would do anyway.
bool ipv6_options_ok(const u8* opts, u16 n)
{
    u16 i = 0;
    while (i < n) {
        const u8 type = opts[i];
        if (type == kIpv6OptPad1) { ++i; continue; }
        if (i + 1 >= n) return false;
        const u16 end = static_cast<u16>(i + 2 + opts[i + 1]);
        if (end > n) return false;
        if ((type & 0xc0) != 0) return false; // PadN, router alert and the other skippable ones are 00
        i = end;
    }
    return true;
}

// Walks the extension headers of an IPv6 payload of `avail` bytes at ip + 40: at most
// kMaxIpv6ExtHeaders, each inside the payload. Leaves proto at the upper layer and returns the
// extension headers' total length in *ext_len.
ParseError walk_ipv6_ext(const u8* ext, u16 avail, u8* proto, u16* ext_len, ParsedFrame* out)
{
    u16 off = 0;
    u8 next = *proto;
    for (u8 n = 0;; ++n) {
        u16 hlen = 0;
        switch (next) {
        case kIpProtoHopOpts:
            if (n != 0) return ParseError::Ipv6ExtOrder;
            [[fallthrough]];
        case kIpProtoDstOpts:
        case kIpProtoRouting:
            if (avail - off < 8) return ParseError::Ipv6ExtTruncated;
            hlen = static_cast<u16>((ext[off + 1] + 1) * 8);
            break;
        case kIpProtoFragment: {
            if (avail - off < 8) return ParseError::Ipv6ExtTruncated;
            // An atomic fragment (offset 0, M clear) is a whole packet (RFC 6946).
            if (load_be16(ext + off + 2) & 0xfff9) return ParseError::Ipv6Fragment;
            hlen = 8;
            break;
        }
        case kIpProtoAh:
            if (avail - off < 8) return ParseError::Ipv6ExtTruncated;
            hlen = static_cast<u16>((ext[off + 1] + 2) * 4);
            break;
        default:
            *proto = next;
            *ext_len = off;
            out->ext_headers = n;
            return ParseError::Ok;
        }
        if (n == kMaxIpv6ExtHeaders) return ParseError::Ipv6ExtTooMany;
        if (hlen > avail - off) return ParseError::Ipv6ExtTruncated;
        if ((next == kIpProtoHopOpts || next == kIpProtoDstOpts) && !ipv6_options_ok(ext + off + 2, static_cast<u16>(hlen - 2)))
            return ParseError::Ipv6BadOption;
        next = ext[off];
        off = static_cast<u16>(off + hlen);
    }
}

// The four words XORed: what hashing and flow steering see of an IPv6 address.
u32 fold_ipv6(const u64* a)
{
    const u64 x = a[0] ^ a[1];
    return static_cast<u32>(x ^ (x >> 32));
}

ParseError parse_ipv6(const u8* data, u16 off, u16 len, ParsedFrame* out)
{
    const u8* ip = data + off;
    const u16 avail = static_cast<u16>(len - off);
    if (avail < kIpv6HeaderLen) return ParseError::Ipv6Truncated;
    if ((ip[0] >> 4) != 6) return ParseError::Ipv6BadVersion;
    const u16 payload = load_be16(ip + 4);
    if (payload == 0 || payload > avail - kIpv6HeaderLen) return ParseError::Ipv6BadPayloadLen;
    u8 proto = ip[6];
    u16 ext_len = 0;
    const ParseError e = walk_ipv6_ext(ip + kIpv6HeaderLen, payload, &proto, &ext_len, out);
    if (e != ParseError::Ok) return e;

    out->ip_version = 6;
    out->l3_offset = off;
    out->ip_header_len = static_cast<u16>(kIpv6HeaderLen + ext_len);
    out->ip_total_len = static_cast<u16>(kIpv6HeaderLen + payload);
    out->ttl = ip[7];
    out->proto = proto;
    out->src_ip6[0] = load_be64(ip + 8);
    out->src_ip6[1] = load_be64(ip + 16);
    out->dst_ip6[0] = load_be64(ip + 24);
    out->dst_ip6[1] = load_be64(ip + 32);
    out->src_ip = fold_ipv6(out->src_ip6);
    out->dst_ip = fold_ipv6(out->dst_ip6);
    out->l4_offset = static_cast<u16>(off + out->ip_header_len);
    out->l4_len = static_cast<u16>(payload - ext_len);
    out->payload_offset = out->l4_offset;
    out->payload_len = out->l4_len;
    return ParseError::Ok;
}

} // namespace

ParseError parse_frame(const u8* data, u16 len, ParsedFrame* out, IpFamilies families)
{
    __builtin_memset(out, 0, __builtin_offsetof(ParsedFrame, src_ip6)); // the IPv6 addresses: parse_ipv6 writes them
    out->wscale = 0xff;
    if (len < kEthHeaderLen) return ParseError::EthTruncated;
    copy_bytes(out->dst_mac, data, 6);
    copy_bytes(out->src_mac, data + 6, 6);
    u16 off = 12;
    u16 type = load_be16(data + off);
    if (type == kEtherTypeVlan) {
        if (len < kEthHeaderLen + kVlanTagLen) return ParseError::VlanTruncated;
        out->has_vlan = true;
        out->vlan_tci = load_be16(data + 14);
        off = static_cast<u16>(off + kVlanTagLen);
        type = load_be16(data + off);
    }
    out->ethertype = type;
    off = static_cast<u16>(off + 2);
    ParseError e = ParseError::NotIp;
    if (type == kEtherTypeIpv4) e = parse_ipv4(data, off, len, out);
    else if (type == kEtherTypeIpv6 && families == IpFamilies::Ipv4AndIpv6) e = parse_ipv6(data, off, len, out);
    return e == ParseError::Ok ? parse_l4(data, out) : e; // one call site: inlined
}

bool l4_checksum_ok(const u8* data, const ParsedFrame& p)
{
    const u8* l4 = data + p.l4_offset;
    if (p.ip_version == 6) {
        // Mandatory over IPv6 for all three, UDP included (RFC 8200 8.1).
        if (p.proto != kIpProtoTcp && p.proto != kIpProtoUdp && p.proto != kIpProtoIcmpv6) return true;
        const u8* ip = data + p.l3_offset;
        const u16 n = p.proto == kIpProtoUdp ? static_cast<u16>(p.payload_len + kUdpHeaderLen) : p.l4_len;
        return l4_checksum6(ip + 8, ip + 24, p.proto, l4, n) == 0;
    }
    if (p.proto == kIpProtoUdp) {
        if (load_be16(l4 + 6) == 0) return true;
        const u16 ulen = static_cast<u16>(p.payload_len + kUdpHeaderLen);
        return l4_checksum(p.src_ip, p.dst_ip, p.proto, l4, ulen) == 0;
    }
    if (p.proto == kIpProtoTcp) return l4_checksum(p.src_ip, p.dst_ip, p.proto, l4, p.l4_len) == 0;
    return true;
}

} // namespace offsched::net
