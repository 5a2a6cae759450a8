// IPv6 in the parser: the header, a bounded walk over extension headers, TCP/UDP/ICMPv6 over
// it, the IPv6 pseudo-header checksum, and every way a hostile frame is refused.
#include <catch2/catch.hpp>

#include <vector>

#include "frames.h"
#include "services/net/checksum.h"
#include "services/net/parse.h"

using namespace offsched;
using namespace offsched::test;
using net::ParseError;

namespace {

constexpr u16 kIp6 = net::kEthHeaderLen;           // the IPv6 header
constexpr u16 kAfterIp6 = kIp6 + net::kIpv6HeaderLen; // the first extension or upper-layer header

Pkt v6_syn()
{
    Pkt p;
    p.v6 = true;
    p.flags = net::kTcpSyn;
    p.mss = 1440;
    p.dport = 22;
    return p;
}

ParseError parse6(const std::vector<u8>& f, net::ParsedFrame* p)
{
    return net::parse_frame(f.data(), static_cast<u16>(f.size()), p, net::IpFamilies::Ipv4AndIpv6);
}

// Puts an extension header of next-header value `type` right after the IPv6 header: `body` is
// everything after its first byte (the next header, which is filled in), so body.size() + 1
// must be its whole length. The payload length grows by it; the upper layer's checksum does not
// change (its pseudo-header counts the upper-layer length only).
void push_ext(std::vector<u8>& f, u8 type, std::vector<u8> body)
{
    body.insert(body.begin(), f[kIp6 + 6]);
    f[kIp6 + 6] = type;
    f.insert(f.begin() + kAfterIp6, body.begin(), body.end());
    net::store_be16(f.data() + kIp6 + 4, static_cast<u16>(net::load_be16(f.data() + kIp6 + 4) + body.size()));
}

// Destination options of 8 bytes: one PadN over the remaining four... or the given options.
std::vector<u8> opts8(std::vector<u8> options = {net::kIpv6OptPadN, 4, 0, 0, 0, 0})
{
    std::vector<u8> b{0}; // hdr ext len: 0 -> 8 bytes
    b.insert(b.end(), options.begin(), options.end());
    return b;
}

} // namespace

TEST_CASE("an IPv6 TCP SYN parses with its addresses, ports, options and checksum")
{
    const auto f = make(v6_syn());
    net::ParsedFrame p;
    REQUIRE(parse6(f, &p) == ParseError::Ok);
    CHECK(p.ip_version == 6);
    CHECK(p.ethertype == net::kEtherTypeIpv6);
    CHECK(p.src_ip6[0] == 0x20010db800000000ull);
    CHECK(p.src_ip6[1] == 0x10);
    CHECK(p.dst_ip6[1] == 0x1);
    CHECK(p.src_ip == static_cast<u32>(0x20010db8 ^ 0x10)); // folded, for hashing
    CHECK(p.proto == net::kIpProtoTcp);
    CHECK(p.ttl == 64);
    CHECK(p.l4_offset == kAfterIp6);
    CHECK(p.dst_port == 22);
    CHECK(p.mss == 1440);
    CHECK((p.tcp_flags & net::kTcpSyn));
    CHECK(p.ip_total_len == f.size() - net::kEthHeaderLen);
    CHECK(net::l4_checksum_ok(f.data(), p));

    // The pseudo-header holds both addresses: a changed source breaks the checksum.
    auto g = f;
    g[kIp6 + 8 + 15] ^= 1;
    REQUIRE(parse6(g, &p) == ParseError::Ok);
    CHECK_FALSE(net::l4_checksum_ok(g.data(), p));
}

TEST_CASE("the IPv6 pseudo-header checksum matches an independent computation")
{
    // A UDP datagram 2001:db8::1 port 1 -> 2001:db8::2 port 2, payload "hi". The sum over RFC
    // 8200's pseudo-header: 0x2001+0x0db8+0x0001 (source), 0x2001+0x0db8+0x0002 (destination),
    // 0x000a (length), 0x0011 (next header), then the header 0x0001+0x0002+0x000a and "hi"
    // 0x6869: 0xc406 after folding, complement 0x3bf9.
    const u8 src[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    const u8 dst[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    const u8 udp[10] = {0, 1, 0, 2, 0, 10, 0, 0, 'h', 'i'};
    CHECK(net::l4_checksum6(src, dst, net::kIpProtoUdp, udp, sizeof udp) == 0x3bf9);
}

TEST_CASE("IPv6 is not ours unless asked for: IPv4-only callers see it as not IP")
{
    const auto f = make(v6_syn());
    net::ParsedFrame p;
    CHECK(net::parse_frame(f.data(), static_cast<u16>(f.size()), &p) == ParseError::NotIp);
}

TEST_CASE("extension headers are walked to the upper layer")
{
    auto f = make(v6_syn());
    push_ext(f, net::kIpProtoFragment, {0, 0, 0, 0, 0, 0, 7}); // atomic fragment (RFC 6946): whole
    push_ext(f, net::kIpProtoRouting, {0, 0, 0, 0, 0, 0, 0});   // type 0, segments left 0
    push_ext(f, net::kIpProtoDstOpts, opts8());
    push_ext(f, net::kIpProtoHopOpts, opts8({net::kIpv6OptRouterAlert, 2, 0, 0, net::kIpv6OptPad1, net::kIpv6OptPad1}));
    net::ParsedFrame p;
    REQUIRE(parse6(f, &p) == ParseError::Ok);
    CHECK(p.ext_headers == 4);
    CHECK(p.proto == net::kIpProtoTcp);
    CHECK(p.ip_header_len == net::kIpv6HeaderLen + 32);
    CHECK(p.l4_offset == kAfterIp6 + 32);
    CHECK(p.dst_port == 22);
    CHECK(net::l4_checksum_ok(f.data(), p));

    // An unknown option whose type says "skip" is skipped; PadN of length 0 is padding.
    auto g = make(v6_syn());
    push_ext(g, net::kIpProtoDstOpts, opts8({0x1e, 1, 0, net::kIpv6OptPadN, 0, net::kIpv6OptPad1}));
    CHECK(parse6(g, &p) == ParseError::Ok);
}

TEST_CASE("hostile IPv6 frames are refused with their cause")
{
    net::ParsedFrame p;

    SECTION("more extension headers than the walk allows, up to 200 of them")
    {
        for (int n : {8, 9, 200}) {
            auto f = make(v6_syn());
            for (int i = 0; i < n; ++i) push_ext(f, net::kIpProtoDstOpts, opts8());
            CHECK(parse6(f, &p) == (n <= net::kMaxIpv6ExtHeaders ? ParseError::Ok : ParseError::Ipv6ExtTooMany));
        }
    }
    SECTION("hop-by-hop options after another header")
    {
        auto f = make(v6_syn());
        push_ext(f, net::kIpProtoHopOpts, opts8());
        push_ext(f, net::kIpProtoDstOpts, opts8());
        CHECK(parse6(f, &p) == ParseError::Ipv6ExtOrder);
    }
    SECTION("a fragment, first or later")
    {
        for (u16 word : {u16{1}, u16{185 << 3}}) { // M set at offset 0; offset 185, last
            auto f = make(v6_syn());
            push_ext(f, net::kIpProtoFragment, {0, static_cast<u8>(word >> 8), static_cast<u8>(word), 0, 0, 0, 9});
            CHECK(parse6(f, &p) == ParseError::Ipv6Fragment);
        }
    }
    SECTION("an extension header longer than the payload")
    {
        auto f = make(v6_syn());
        push_ext(f, net::kIpProtoDstOpts, {200, net::kIpv6OptPadN, 4, 0, 0, 0, 0});
        CHECK(parse6(f, &p) == ParseError::Ipv6ExtTruncated);
        f.resize(kAfterIp6 + 4); // and one cut inside its first 8 bytes
        net::store_be16(f.data() + kIp6 + 4, 4);
        CHECK(parse6(f, &p) == ParseError::Ipv6ExtTruncated);
    }
    SECTION("an option that overruns its header, or an unknown one that asks to discard")
    {
        auto f = make(v6_syn());
        push_ext(f, net::kIpProtoDstOpts, opts8({net::kIpv6OptPadN, 5, 0, 0, 0, 0}));
        CHECK(parse6(f, &p) == ParseError::Ipv6BadOption);
        auto g = make(v6_syn());
        push_ext(g, net::kIpProtoDstOpts, opts8({0xc2, 4, 0, 0, 0, 0})); // jumbo payload
        CHECK(parse6(g, &p) == ParseError::Ipv6BadOption);
    }
    SECTION("payload length zero (a jumbogram), beyond the frame, or a short header")
    {
        auto f = make(v6_syn());
        net::store_be16(f.data() + kIp6 + 4, 0);
        CHECK(parse6(f, &p) == ParseError::Ipv6BadPayloadLen);
        net::store_be16(f.data() + kIp6 + 4, static_cast<u16>(f.size() - kAfterIp6 + 1));
        CHECK(parse6(f, &p) == ParseError::Ipv6BadPayloadLen);
        f.resize(kAfterIp6 - 1);
        CHECK(parse6(f, &p) == ParseError::Ipv6Truncated);
    }
    SECTION("a zero-length TCP option after extension headers (a walk that would never advance)")
    {
        Pkt syn = v6_syn();
        syn.mss = 1460; // the MSS option's length byte becomes 0
        auto f = make(syn);
        push_ext(f, net::kIpProtoDstOpts, opts8());
        f[kAfterIp6 + 8 + net::kTcpMinHeaderLen + 1] = 0;
        CHECK(parse6(f, &p) == ParseError::TcpBadOptions);
    }
    SECTION("the IPv6 ethertype with IPv4 inside")
    {
        auto f = make(v6_syn());
        f[kIp6] = 0x45;
        CHECK(parse6(f, &p) == ParseError::Ipv6BadVersion);
    }
    SECTION("ICMPv6 shorter than its header")
    {
        auto f = make(v6_syn());
        f[kIp6 + 6] = net::kIpProtoIcmpv6;
        f.resize(kAfterIp6 + 3);
        net::store_be16(f.data() + kIp6 + 4, 3);
        CHECK(parse6(f, &p) == ParseError::Icmp6Truncated);
    }
}

TEST_CASE("UDP over IPv6 without a checksum is refused by the checksum check (it is mandatory there)")
{
    Pkt u;
    u.v6 = true;
    u.udp = true;
    u.payload = 5;
    auto f = make(u);
    net::ParsedFrame p;
    REQUIRE(parse6(f, &p) == ParseError::Ok);
    CHECK(p.proto == net::kIpProtoUdp);
    CHECK(p.payload_len == 5);
    CHECK(net::l4_checksum_ok(f.data(), p));
    net::store_be16(f.data() + p.l4_offset + 6, 0);
    CHECK_FALSE(net::l4_checksum_ok(f.data(), p));
}
