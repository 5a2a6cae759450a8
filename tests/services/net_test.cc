// services/net: checksums against independently computed vectors, builder/parser round trips,
// and clean rejection of every truncation and each kind of malformed header.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "services/net/build.h"
#include "services/net/byte_order.h"
#include "services/net/checksum.h"
#include "services/net/headers.h"
#include "services/net/parse.h"

using namespace offsched;
using namespace offsched::net;

namespace {

// Reference one's complement sum, written the textbook way (RFC 1071 section 4.1), independent
// of csum_add's 64-bit accumulator.
uint16_t ref_checksum(const std::vector<uint8_t>& b)
{
    uint32_t sum = 0;
    size_t i = 0;
    for (; i + 1 < b.size(); i += 2) {
        sum += (b[i] << 8) | b[i + 1];
        if (sum & 0x10000) sum = (sum & 0xffff) + 1;
    }
    if (i < b.size()) {
        sum += b[i] << 8;
        if (sum & 0x10000) sum = (sum & 0xffff) + 1;
    }
    return static_cast<uint16_t>(~sum & 0xffff);
}

L3Addrs addrs()
{
    L3Addrs a{};
    const uint8_t smac[6] = {0x02, 0, 0, 0, 0, 1}, dmac[6] = {0x02, 0, 0, 0, 0, 2};
    std::memcpy(a.src_mac, smac, 6);
    std::memcpy(a.dst_mac, dmac, 6);
    a.src_ip = ipv4(192, 168, 1, 10);
    a.dst_ip = ipv4(10, 0, 0, 1);
    a.src_port = 40000;
    a.dst_port = 80;
    a.ip_id = 0x1234;
    return a;
}

std::vector<uint8_t> tcp_frame(uint8_t flags = kTcpSyn, uint16_t mss = 1460, const char* payload = "")
{
    TcpSpec s{};
    s.addr = addrs();
    s.seq = 0x01020304;
    s.ack = 0;
    s.flags = flags;
    s.window = 65535;
    s.mss = mss;
    s.wscale = 7;
    s.sack_perm = true;
    s.payload = reinterpret_cast<const u8*>(payload);
    s.payload_len = static_cast<u16>(std::strlen(payload));
    std::vector<uint8_t> f(tcp_frame_len(s));
    REQUIRE(build_tcp(s, f.data(), static_cast<u16>(f.size())) == f.size());
    return f;
}

std::vector<uint8_t> udp_frame(const char* payload = "hello")
{
    UdpSpec s{};
    s.addr = addrs();
    s.addr.dst_port = 5353;
    s.payload = reinterpret_cast<const u8*>(payload);
    s.payload_len = static_cast<u16>(std::strlen(payload));
    std::vector<uint8_t> f(udp_frame_len(s));
    REQUIRE(build_udp(s, f.data(), static_cast<u16>(f.size())) == f.size());
    return f;
}

// Parses from an exactly sized heap copy so ASan flags any read past the end.
ParseError parse_exact(const std::vector<uint8_t>& f, size_t len, ParsedFrame* p)
{
    std::vector<uint8_t> copy(f.begin(), f.begin() + static_cast<long>(len));
    return parse_frame(copy.data(), static_cast<u16>(len), p);
}

// Rewrites the IPv4 total length and fixes the header checksum (to reach deeper checks).
void set_ip_total(std::vector<uint8_t>& f, uint16_t total)
{
    uint8_t* ip = f.data() + kEthHeaderLen;
    store_be16(ip + 2, total);
    store_be16(ip + 10, 0);
    store_be16(ip + 10, ipv4_header_checksum(ip, (ip[0] & 0xf) * 4));
}

} // namespace

TEST_CASE("byte order helpers are big-endian and alignment-free")
{
    uint8_t b[7] = {};
    store_be32(b + 1, 0xdeadbeef);
    CHECK(b[1] == 0xde);
    CHECK(b[4] == 0xef);
    CHECK(load_be32(b + 1) == 0xdeadbeefu);
    store_be16(b + 5, 0xabcd);
    CHECK(load_be16(b + 5) == 0xabcd);
    CHECK(ipv4(10, 1, 2, 3) == 0x0a010203u);
}

TEST_CASE("RFC 1071 example sum")
{
    // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2.
    const uint8_t v[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK(csum_fold(csum_add(0, v, sizeof v)) == static_cast<uint16_t>(~0xddf2));
    CHECK(ref_checksum({v, v + sizeof v}) == csum_fold(csum_add(0, v, sizeof v)));
}

TEST_CASE("odd-length data and chunked sums match the reference")
{
    std::vector<uint8_t> d;
    for (int i = 0; i < 1001; ++i) d.push_back(static_cast<uint8_t>(i * 37 + 11));
    CHECK(csum_fold(csum_add(0, d.data(), 1001)) == ref_checksum(d));
    // Even-length chunks may be summed separately.
    const u32 part = csum_add(0, d.data(), 500);
    CHECK(csum_fold(csum_add(part, d.data() + 500, 501)) == ref_checksum(d));
}

TEST_CASE("IPv4 header checksum of a textbook header")
{
    // Header from the widely used example 192.168.0.1 -> 192.168.0.199, checksum b861.
    uint8_t h[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                   0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    CHECK(ipv4_header_checksum(h, 20) == 0xb861);
    CHECK(ref_checksum({h, h + 20}) == 0xb861);
    h[10] = 0xb8;
    h[11] = 0x61;
    CHECK(ipv4_header_checksum(h, 20) == 0); // a correct header verifies to zero
}

TEST_CASE("TCP and UDP checksums include the pseudo-header")
{
    for (auto f : {tcp_frame(kTcpSyn, 1460, "abc"), udp_frame("odd")}) {
        const uint8_t* ip = f.data() + kEthHeaderLen;
        const uint8_t proto = ip[9];
        std::vector<uint8_t> pseudo(ip + 12, ip + 20); // src, dst
        const uint16_t l4_len = static_cast<uint16_t>(f.size() - kEthHeaderLen - 20);
        pseudo.push_back(0);
        pseudo.push_back(proto);
        pseudo.push_back(static_cast<uint8_t>(l4_len >> 8));
        pseudo.push_back(static_cast<uint8_t>(l4_len));
        std::vector<uint8_t> all = pseudo;
        all.insert(all.end(), ip + 20, ip + 20 + l4_len);
        CHECK(ref_checksum(all) == 0); // stored checksum makes the whole sum verify
        ParsedFrame p;
        REQUIRE(parse_frame(f.data(), static_cast<u16>(f.size()), &p) == ParseError::Ok);
        CHECK(l4_checksum_ok(f.data(), p));
        f.back() ^= 0x01;
        CHECK_FALSE(l4_checksum_ok(f.data(), p));
    }
}

TEST_CASE("TCP builder/parser round trip")
{
    auto f = tcp_frame(kTcpSyn | kTcpAck, 1400, "payload!");
    ParsedFrame p;
    REQUIRE(parse_frame(f.data(), static_cast<u16>(f.size()), &p) == ParseError::Ok);
    CHECK(p.ethertype == kEtherTypeIpv4);
    CHECK(p.src_mac[5] == 1);
    CHECK(p.dst_mac[5] == 2);
    CHECK(p.src_ip == ipv4(192, 168, 1, 10));
    CHECK(p.dst_ip == ipv4(10, 0, 0, 1));
    CHECK(p.proto == kIpProtoTcp);
    CHECK(p.ttl == 64);
    CHECK(p.ip_id == 0x1234);
    CHECK(p.src_port == 40000);
    CHECK(p.dst_port == 80);
    CHECK(p.seq == 0x01020304u);
    CHECK(p.tcp_flags == (kTcpSyn | kTcpAck));
    CHECK(p.window == 65535);
    CHECK(p.mss == 1400);
    CHECK(p.wscale == 7);
    CHECK(p.sack_perm);
    CHECK(p.payload_len == 8);
    CHECK(std::memcmp(f.data() + p.payload_offset, "payload!", 8) == 0);
    CHECK(p.l4_offset == kEthHeaderLen + 20);
}

TEST_CASE("UDP builder/parser round trip and padding ignored")
{
    auto f = udp_frame("hello");
    f.resize(kEthMinFrameLen, 0); // Ethernet padding after the IP datagram
    ParsedFrame p;
    REQUIRE(parse_frame(f.data(), static_cast<u16>(f.size()), &p) == ParseError::Ok);
    CHECK(p.proto == kIpProtoUdp);
    CHECK(p.dst_port == 5353);
    CHECK(p.payload_len == 5);
    CHECK(std::memcmp(f.data() + p.payload_offset, "hello", 5) == 0);
    CHECK(l4_checksum_ok(f.data(), p));
}

TEST_CASE("builders refuse buffers that are too small")
{
    TcpSpec s{};
    s.addr = addrs();
    s.wscale = 0xff;
    std::vector<uint8_t> buf(tcp_frame_len(s) + 4, 0xee);
    CHECK(build_tcp(s, buf.data(), static_cast<u16>(tcp_frame_len(s) - 1)) == 0);
    CHECK(buf[0] == 0xee);
    CHECK(build_tcp(s, buf.data(), static_cast<u16>(buf.size())) == 54);
}

TEST_CASE("every truncation of a valid TCP frame is rejected with the right cause")
{
    const auto f = tcp_frame(kTcpSyn, 1460, "data");
    for (size_t len = 0; len < f.size(); ++len) {
        ParsedFrame p;
        const ParseError e = parse_exact(f, len, &p);
        INFO("len=" << len);
        if (len < kEthHeaderLen) CHECK(e == ParseError::EthTruncated);
        else if (len < kEthHeaderLen + 20u) CHECK(e == ParseError::Ipv4Truncated);
        else CHECK(e == ParseError::Ipv4BadTotalLen);
    }
    ParsedFrame p;
    CHECK(parse_exact(f, f.size(), &p) == ParseError::Ok);
}

TEST_CASE("every truncation of a valid UDP frame is rejected")
{
    const auto f = udp_frame("0123456789");
    for (size_t len = 0; len < f.size(); ++len) {
        ParsedFrame p;
        INFO("len=" << len);
        CHECK(parse_exact(f, len, &p) != ParseError::Ok);
    }
}

TEST_CASE("TCP header truncated inside a consistent IP datagram")
{
    const auto base = tcp_frame(kTcpSyn, 1460); // 20 + 12 bytes of options
    const uint16_t tcp_hdr = static_cast<uint16_t>(base.size() - kEthHeaderLen - 20);
    for (uint16_t n = 0; n < tcp_hdr; ++n) {
        auto f = base;
        set_ip_total(f, static_cast<uint16_t>(20 + n));
        f.resize(kEthHeaderLen + 20 + n);
        ParsedFrame p;
        INFO("tcp bytes=" << n);
        CHECK(parse_exact(f, f.size(), &p) == (n < 20 ? ParseError::TcpTruncated : ParseError::TcpBadOffset));
    }
}

TEST_CASE("UDP length field beyond the datagram")
{
    auto f = udp_frame("abc");
    uint8_t* udp = f.data() + kEthHeaderLen + 20;
    store_be16(udp + 4, 100);
    ParsedFrame p;
    CHECK(parse_exact(f, f.size(), &p) == ParseError::UdpBadLength);
    store_be16(udp + 4, 7);
    CHECK(parse_exact(f, f.size(), &p) == ParseError::UdpBadLength);
    auto g = udp_frame("");
    set_ip_total(g, 20 + 7);
    g.resize(kEthHeaderLen + 27);
    CHECK(parse_exact(g, g.size(), &p) == ParseError::UdpTruncated);
}

TEST_CASE("malformed IPv4 headers")
{
    ParsedFrame p;
    SECTION("wrong ethertype")
    {
        auto f = tcp_frame();
        store_be16(f.data() + 12, kEtherTypeArp);
        CHECK(parse_exact(f, f.size(), &p) == ParseError::NotIp);
        CHECK(p.ethertype == kEtherTypeArp);
    }
    SECTION("version 6 in an IPv4 ethertype")
    {
        auto f = tcp_frame();
        f[kEthHeaderLen] = 0x65;
        CHECK(parse_exact(f, f.size(), &p) == ParseError::Ipv4BadVersion);
    }
    SECTION("IHL below 5 and beyond the frame")
    {
        auto f = tcp_frame();
        f[kEthHeaderLen] = 0x44;
        CHECK(parse_exact(f, f.size(), &p) == ParseError::Ipv4BadIhl);
        auto g = tcp_frame();
        g[kEthHeaderLen] = 0x4f; // 60 bytes of header
        CHECK(parse_exact(g, kEthHeaderLen + 40, &p) == ParseError::Ipv4BadIhl);
    }
    SECTION("total length shorter than the header")
    {
        auto f = tcp_frame();
        set_ip_total(f, 19);
        CHECK(parse_exact(f, f.size(), &p) == ParseError::Ipv4BadTotalLen);
    }
    SECTION("bad header checksum")
    {
        auto f = tcp_frame();
        f[kEthHeaderLen + 8] ^= 1; // TTL changed without fixing the checksum
        CHECK(parse_exact(f, f.size(), &p) == ParseError::Ipv4BadChecksum);
    }
    SECTION("fragments: MF set, and non-zero offset")
    {
        auto f = tcp_frame();
        uint8_t* ip = f.data() + kEthHeaderLen;
        store_be16(ip + 6, kIpFlagMoreFragments);
        set_ip_total(f, load_be16(ip + 2));
        CHECK(parse_exact(f, f.size(), &p) == ParseError::Ipv4Fragment);
        store_be16(ip + 6, 10);
        set_ip_total(f, load_be16(ip + 2));
        CHECK(parse_exact(f, f.size(), &p) == ParseError::Ipv4Fragment);
    }
}

TEST_CASE("VLAN tagged frames parse, a cut tag is rejected")
{
    auto f = tcp_frame();
    const uint8_t tag[4] = {0x81, 0x00, 0x00, 0x2a};
    f.insert(f.begin() + 12, tag, tag + 4);
    ParsedFrame p;
    REQUIRE(parse_exact(f, f.size(), &p) == ParseError::Ok);
    CHECK(p.has_vlan);
    CHECK(p.vlan_tci == 42);
    CHECK(p.dst_port == 80);
    CHECK(parse_exact(f, 16, &p) == ParseError::VlanTruncated);
    CHECK(parse_exact(f, 17, &p) == ParseError::VlanTruncated);
}

TEST_CASE("malformed TCP options")
{
    ParsedFrame p;
    auto f = tcp_frame(kTcpSyn, 1460); // options: MSS(4) WS(3) SACKP(2) END...
    uint8_t* opt = f.data() + kEthHeaderLen + 20 + 20;
    SECTION("option length runs past the header")
    {
        opt[1] = 40;
        CHECK(parse_exact(f, f.size(), &p) == ParseError::TcpBadOptions);
    }
    SECTION("option length below 2")
    {
        opt[1] = 1;
        CHECK(parse_exact(f, f.size(), &p) == ParseError::TcpBadOptions);
    }
    SECTION("MSS with a wrong length")
    {
        opt[1] = 3;
        CHECK(parse_exact(f, f.size(), &p) == ParseError::TcpBadOptions);
    }
    SECTION("kind without a length byte at the end")
    {
        opt[9] = kTcpOptNop; // replace the END padding so the walk reaches the last byte
        opt[10] = kTcpOptNop;
        opt[11] = kTcpOptMss;
        CHECK(parse_exact(f, f.size(), &p) == ParseError::TcpBadOptions);
    }
}

TEST_CASE("non-TCP/UDP protocols parse with zero ports")
{
    auto f = udp_frame("ping");
    uint8_t* ip = f.data() + kEthHeaderLen;
    ip[9] = kIpProtoIcmp;
    set_ip_total(f, load_be16(ip + 2));
    ParsedFrame p;
    REQUIRE(parse_exact(f, f.size(), &p) == ParseError::Ok);
    CHECK(p.proto == kIpProtoIcmp);
    CHECK(p.src_port == 0);
    CHECK(p.payload_len == 8 + 4);
}

TEST_CASE("error names are unique and stable")
{
    for (int i = 0; i < static_cast<int>(ParseError::Count); ++i)
        for (int j = i + 1; j < static_cast<int>(ParseError::Count); ++j)
            CHECK(std::strcmp(parse_error_name(static_cast<ParseError>(i)),
                              parse_error_name(static_cast<ParseError>(j))) != 0);
    CHECK(std::strcmp(parse_error_name(ParseError::Ipv4Fragment), "ipv4_fragment") == 0);
}
