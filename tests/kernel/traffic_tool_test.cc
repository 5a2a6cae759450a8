// The host traffic tool against a scripted peer over real loopback UDP sockets (the transport
// QEMU's socket netdev uses): flood pacing and frame validity, the TCP client state machine
// through a complete exchange, SYN retransmission, and ARP answers; flood source mixes and the
// tally of what the guest answered to flood sources.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <set>
#include <unistd.h>

#include "services/net/build.h"
#include "services/net/byte_order.h"
#include "services/net/headers.h"
#include "services/net/parse.h"
#include "tools/traffic/arp_responder.h"
#include "services/net/checksum.h"
#include "tools/traffic/frame_link.h"
#include "tools/traffic/nd_responder.h"
#include "tools/traffic/syn_flood.h"
#include "tools/traffic/tcp_clients.h"
#include "tools/traffic/traffic_report.h"

using namespace offsched;
using namespace offsched::traffic;
using namespace std::chrono_literals;

namespace {

const uint8_t kToolMac[6] = {0x52, 0x54, 0, 0xaa, 0xbb, 1};
const uint8_t kGuestMac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
constexpr uint32_t kGuestIp = net::ipv4(10, 0, 0, 10);

// A tool link and a "guest" link wired to each other on free loopback ports.
struct Wire {
    boost::asio::io_context io;
    std::unique_ptr<FrameLink> tool, guest;
    std::vector<std::vector<uint8_t>> at_guest, at_tool;
    Wire()
    {
        const int base = 30000 + (static_cast<int>(::getpid()) % 5000) * 2;
        const std::string a = "127.0.0.1:" + std::to_string(base), b = "127.0.0.1:" + std::to_string(base + 1);
        tool = std::make_unique<FrameLink>(io, a, b);
        guest = std::make_unique<FrameLink>(io, b, a);
        guest->start_receive([this](const uint8_t* f, size_t n) { at_guest.emplace_back(f, f + n); });
    }
    void pump(std::chrono::milliseconds d = 50ms)
    {
        io.restart();
        io.run_for(d);
    }
};

net::ParsedFrame parse(const std::vector<uint8_t>& f)
{
    net::ParsedFrame p{};
    REQUIRE(net::parse_frame(f.data(), static_cast<uint16_t>(f.size()), &p) == net::ParseError::Ok);
    return p;
}

// 250 ms of a 4,000 SYN/s flood from the tool to the guest: 1,000 frames in w.at_guest.
std::unique_ptr<SynFlood> run_quarter_second(Wire& w, FloodParams fp, uint64_t seed)
{
    fp.rate_pps = 4000;
    std::memcpy(fp.src_mac, kToolMac, 6);
    std::memcpy(fp.dst_mac, kGuestMac, 6);
    auto flood = std::make_unique<SynFlood>(*w.tool, fp, seed);
    const auto t0 = Clock::now();
    flood->start(t0);
    flood->tick(t0 + 250ms);
    w.pump();
    REQUIRE(w.at_guest.size() == 1000);
    return flood;
}

void reply(Wire& w, const net::ParsedFrame& to, uint8_t flags, uint32_t seq, uint32_t ack, const char* payload = "")
{
    net::TcpSpec s{};
    std::memcpy(s.addr.src_mac, kGuestMac, 6);
    std::memcpy(s.addr.dst_mac, to.src_mac, 6);
    s.addr.src_ip = to.dst_ip;
    s.addr.dst_ip = to.src_ip;
    s.addr.src_port = to.dst_port;
    s.addr.dst_port = to.src_port;
    s.seq = seq;
    s.ack = ack;
    s.flags = flags;
    s.window = 1000;
    s.wscale = 0xff;
    s.payload = reinterpret_cast<const u8*>(payload);
    s.payload_len = static_cast<u16>(std::strlen(payload));
    uint8_t buf[200];
    const uint16_t len = net::build_tcp(s, buf, sizeof buf);
    w.guest->send(buf, len);
}

ClientParams client_params()
{
    ClientParams p;
    p.clients = Ipv4Cidr{net::ipv4(10, 0, 0, 0), 24};
    std::memcpy(p.mac, kToolMac, 6);
    std::memcpy(p.dst_mac, kGuestMac, 6);
    p.dst_ip = kGuestIp;
    p.syn_rto = 100ms;
    return p;
}

} // namespace

TEST_CASE("flood: paced by elapsed time, valid SYNs from the spoofed network")
{
    Wire w;
    FloodParams fp;
    fp.rate_pps = 2000;
    fp.sources = Ipv4Cidr{net::ipv4(198, 18, 0, 0), 15};
    std::memcpy(fp.src_mac, kToolMac, 6);
    std::memcpy(fp.dst_mac, kGuestMac, 6);
    fp.dst_ip = kGuestIp;
    SynFlood flood(*w.tool, fp, 7);
    const auto t0 = Clock::now();
    flood.start(t0);
    flood.tick(t0 + 250ms); // 2000 pps * 0.25 s
    CHECK(flood.sent() == 500);
    flood.tick(t0 + 250ms); // nothing more is due
    CHECK(flood.sent() == 500);
    w.pump();
    REQUIRE(w.at_guest.size() == 500);
    for (const auto& f : w.at_guest) {
        const net::ParsedFrame p = parse(f);
        CHECK(p.tcp_flags == net::kTcpSyn);
        CHECK(flood.is_source(p.src_ip));
        CHECK(p.dst_ip == kGuestIp);
        CHECK(net::l4_checksum_ok(f.data(), p));
    }
}

TEST_CASE("clients: handshake, request, HTTP answer, then RST, latency recorded")
{
    Wire w;
    TcpClients clients(*w.tool, client_params(), 3);
    w.tool->start_receive([&](const uint8_t* f, size_t n) { clients.handle(f, n, Clock::now()); });
    const size_t id = clients.open(Clock::now(), 80);
    w.pump();
    REQUIRE(w.at_guest.size() == 1);
    const net::ParsedFrame syn = parse(w.at_guest[0]);
    CHECK(syn.tcp_flags == net::kTcpSyn);
    CHECK(syn.mss == 1460);
    reply(w, syn, net::kTcpSyn | net::kTcpAck, 5000, syn.seq + 1);
    w.pump();
    CHECK(clients.at(id).state == Connection::State::RequestSent);
    CHECK(clients.at(id).connect_ns > 0);
    REQUIRE(w.at_guest.size() == 3); // ACK + request
    const net::ParsedFrame req = parse(w.at_guest[2]);
    CHECK(req.ack == 5001);
    CHECK(std::string(reinterpret_cast<const char*>(w.at_guest[2].data() + req.payload_offset), req.payload_len)
          == "GET / HTTP/1.0\r\n\r\n");
    reply(w, req, net::kTcpAck | net::kTcpPsh, 5001, req.seq + req.payload_len, "HTTP/1.0 200 OK\r\n\r\n");
    w.pump();
    CHECK(clients.at(id).state == Connection::State::Done);
    REQUIRE(w.at_guest.size() == 4);
    CHECK((parse(w.at_guest[3]).tcp_flags & net::kTcpRst) != 0);
}

TEST_CASE("clients: SYN retransmitted on the doubling schedule, then given up")
{
    Wire w;
    ClientParams p = client_params();
    p.syn_retries = 2;
    p.give_up = 1000ms;
    TcpClients clients(*w.tool, p, 3);
    const auto t0 = Clock::now();
    const size_t id = clients.open(t0, 80);
    clients.tick(t0 + 50ms);   // before the 100 ms RTO: nothing
    clients.tick(t0 + 100ms);  // first retransmission
    clients.tick(t0 + 250ms);  // 200 ms after it: second
    clients.tick(t0 + 900ms);  // retries exhausted
    CHECK(clients.at(id).syns == 3);
    clients.tick(t0 + 1100ms);
    CHECK(clients.at(id).state == Connection::State::Failed);
    w.pump();
    CHECK(w.at_guest.size() == 3);
}

TEST_CASE("arp: answers requests for the client network only")
{
    Wire w;
    ArpResponder arp(*w.tool, kToolMac, Ipv4Cidr{net::ipv4(10, 0, 0, 0), 24});
    auto request = [](uint32_t target) {
        std::vector<uint8_t> f(42, 0);
        std::memset(f.data(), 0xff, 6);
        std::memcpy(f.data() + 6, kGuestMac, 6);
        net::store_be16(f.data() + 12, net::kEtherTypeArp);
        uint8_t* a = f.data() + 14;
        net::store_be16(a, 1);
        net::store_be16(a + 2, net::kEtherTypeIpv4);
        a[4] = 6;
        a[5] = 4;
        net::store_be16(a + 6, 1);
        std::memcpy(a + 8, kGuestMac, 6);
        net::store_be32(a + 14, kGuestIp);
        net::store_be32(a + 24, target);
        return f;
    };
    const auto mine = request(net::ipv4(10, 0, 0, 7)), other = request(net::ipv4(10, 0, 1, 7));
    CHECK(arp.handle(mine.data(), mine.size()));
    CHECK(arp.handle(other.data(), other.size()));
    CHECK(arp.replies() == 1);
    w.pump();
    REQUIRE(w.at_guest.size() == 1);
    const uint8_t* r = w.at_guest[0].data();
    CHECK(std::memcmp(r, kGuestMac, 6) == 0);
    CHECK(net::load_be16(r + 14 + 6) == 2);
    CHECK(std::memcmp(r + 14 + 8, kToolMac, 6) == 0);
    CHECK(net::load_be32(r + 14 + 14) == net::ipv4(10, 0, 0, 7));
}

TEST_CASE("source mix: weighted networks, exclusions explicit, bad specs named")
{
    std::string why;
    const auto m = SourceMix::parse("10.1.0.0/16:1,198.18.0.0/15:3", "10.1.0.0/24", &why);
    REQUIRE(m);
    CHECK(m->describe() == "10.1.0.0/16:1,198.18.0.0/15:3 -10.1.0.0/24");
    CHECK(m->contains(net::ipv4(10, 1, 7, 9)));
    CHECK(m->contains(net::ipv4(198, 19, 255, 1)));
    CHECK_FALSE(m->contains(net::ipv4(10, 1, 0, 1))); // on-link: excluded
    CHECK_FALSE(m->contains(net::ipv4(10, 2, 0, 1)));
    CHECK_FALSE(m->contains(net::ipv4(198, 20, 0, 1)));

    std::mt19937_64 rng(5);
    uint64_t own = 0, wide = 0;
    for (int i = 0; i < 40000; ++i) {
        const uint32_t ip = m->pick(rng);
        REQUIRE(m->contains(ip));
        REQUIRE_FALSE(net_contains(Ipv4Cidr{net::ipv4(10, 1, 0, 0), 24}, ip));
        (net_contains(Ipv4Cidr{net::ipv4(10, 1, 0, 0), 16}, ip) ? own : wide) += 1;
    }
    // Weights 1:3 -> 25 % from the own /16 (minus the 1/256 redrawn), within a few percent.
    CHECK(own > 9000);
    CHECK(own < 11000);
    CHECK(wide == 40000 - own);

    CHECK_FALSE(SourceMix::parse("10.1.0.0/16:0", "", &why));
    CHECK(why.find("weight") != std::string::npos);
    CHECK_FALSE(SourceMix::parse("10.1.0.0/16:x", "", &why));
    CHECK_FALSE(SourceMix::parse("10.1.0.1/16", "", &why)); // host bits set
    CHECK(why.find("10.1.0.1/16") != std::string::npos);
    CHECK_FALSE(SourceMix::parse("10.1.0.0/24", "10.1.0.0/16", &why)); // nothing left to draw from
    CHECK(why.find("entirely inside exclusion 10.1.0.0/16") != std::string::npos);
    CHECK_FALSE(SourceMix::parse("", "", &why));
    CHECK_FALSE(SourceMix::parse("10.0.0.0/8", "10.1.0.0/33", &why));
    CHECK(why.find("exclusion") != std::string::npos);
}

TEST_CASE("flood: a source mix with an exclusion never sends from the excluded network")
{
    Wire w;
    FloodParams fp;
    std::string why;
    fp.sources = *SourceMix::parse("10.0.0.0/16:1,198.18.0.0/15:1", "10.0.0.0/24", &why);
    fp.dst_ip = kGuestIp;
    const auto flood_owner = run_quarter_second(w, fp, 11);
    const SynFlood& flood = *flood_owner;
    uint64_t own = 0;
    for (const auto& f : w.at_guest) {
        const net::ParsedFrame p = parse(f);
        CHECK(flood.is_source(p.src_ip));
        CHECK_FALSE(net_contains(Ipv4Cidr{net::ipv4(10, 0, 0, 0), 24}, p.src_ip));
        own += net_contains(Ipv4Cidr{net::ipv4(10, 0, 0, 0), 16}, p.src_ip);
    }
    CHECK(own > 400); // half by weight
    CHECK(own < 600);
    CHECK_FALSE(flood.is_source(net::ipv4(10, 0, 0, 1))); // the host side of the link
}

TEST_CASE("IPv6 flood: valid IPv6 SYNs from random addresses of the prefix to the guest's address")
{
    Wire w;
    FloodParams fp;
    fp.src6 = ipv6_prefix(0x2001000200000000ull, 0, 48);
    fp.dst6[0] = 0x20010db800000000ull;
    fp.dst6[1] = 0x10;
    const auto flood_owner = run_quarter_second(w, fp, 5);
    const SynFlood& flood = *flood_owner;
    std::set<uint64_t> sources;
    for (const auto& f : w.at_guest) {
        net::ParsedFrame p{};
        REQUIRE(net::parse_frame(f.data(), static_cast<uint16_t>(f.size()), &p, net::IpFamilies::Ipv4AndIpv6) ==
                net::ParseError::Ok);
        CHECK(p.ip_version == 6);
        CHECK(net::l4_checksum_ok(f.data(), p));
        CHECK(prefix_contains_v6(*fp.src6, p.src_ip6));
        CHECK(p.dst_ip6[1] == 0x10);
        CHECK(p.tcp_flags == net::kTcpSyn);
        sources.insert(p.src_ip6[0] ^ p.src_ip6[1]);
        // A guest answer goes to a flood source: counted as one.
        net::ParsedFrame back = p;
        back.dst_ip6[0] = p.src_ip6[0];
        back.dst_ip6[1] = p.src_ip6[1];
        CHECK(flood.is_source(back));
    }
    CHECK(sources.size() > 990); // 80 random bits per address
}

TEST_CASE("nd: answers solicitations for the gateway with a valid advertisement, ignores others")
{
    Wire w;
    const uint64_t gw[2] = {0x20010db800000000ull, 1};
    NdResponder nd(*w.tool, kToolMac, gw);
    // The guest (2001:db8::10) asks for `target` (RFC 4861 4.3, no options).
    auto solicit = [](uint64_t target_lo, bool dad) {
        std::vector<uint8_t> f(net::kEthHeaderLen + net::kIpv6HeaderLen + 24, 0);
        std::memcpy(f.data() + 6, kGuestMac, 6);
        net::store_be16(f.data() + 12, net::kEtherTypeIpv6);
        uint8_t* ip = f.data() + net::kEthHeaderLen;
        net::store_be32(ip, 0x60000000u);
        net::store_be16(ip + 4, 24);
        ip[6] = net::kIpProtoIcmpv6;
        ip[7] = 255;
        if (!dad) net::store_be64(ip + 8, 0x20010db800000000ull), net::store_be64(ip + 16, 0x10);
        net::store_be64(ip + 24, 0xff02000000000000ull), net::store_be64(ip + 32, 0x1ff000000ull | target_lo);
        uint8_t* ns = ip + net::kIpv6HeaderLen;
        ns[0] = 135;
        net::store_be64(ns + 8, 0x20010db800000000ull);
        net::store_be64(ns + 16, target_lo);
        net::store_be16(ns + 2, net::l4_checksum6(ip + 8, ip + 24, net::kIpProtoIcmpv6, ns, 24));
        return f;
    };
    const auto mine = solicit(1, false), other = solicit(2, false), dad = solicit(1, true);
    CHECK(nd.handle(mine.data(), mine.size()));
    CHECK(nd.handle(other.data(), other.size()));
    CHECK(nd.handle(dad.data(), dad.size()));
    CHECK(nd.advertisements() == 1);
    w.pump();
    REQUIRE(w.at_guest.size() == 1);
    const auto& a = w.at_guest[0];
    net::ParsedFrame p{};
    REQUIRE(net::parse_frame(a.data(), static_cast<uint16_t>(a.size()), &p, net::IpFamilies::Ipv4AndIpv6) ==
            net::ParseError::Ok);
    CHECK(std::memcmp(a.data(), kGuestMac, 6) == 0);
    CHECK(p.icmp_type == 136);
    CHECK(p.ttl == 255); // the firewall's neighbour-discovery path requires it
    CHECK(p.src_ip6[1] == 1);
    CHECK(p.dst_ip6[1] == 0x10);
    CHECK(net::l4_checksum_ok(a.data(), p));
    CHECK(std::memcmp(a.data() + p.l4_offset + 26, kToolMac, 6) == 0); // target link-layer address
}

TEST_CASE("reply tally: SYN-ACK, RST and other answers to flood sources, per second")
{
    auto frame = [](uint8_t flags, bool v6 = false) {
        net::TcpSpec s{};
        std::memcpy(s.addr.src_mac, kGuestMac, 6);
        std::memcpy(s.addr.dst_mac, kToolMac, 6);
        s.addr.ipv6 = v6; // 2001:db8::10 -> 2001:2::1 then
        s.addr.src_ip6[0] = 0x20010db800000000ull, s.addr.src_ip6[1] = 0x10;
        s.addr.dst_ip6[0] = 0x2001000200000000ull, s.addr.dst_ip6[1] = 1;
        s.addr.src_ip = kGuestIp;
        s.addr.dst_ip = net::ipv4(198, 18, 3, 4);
        s.addr.src_port = 80;
        s.addr.dst_port = 4000;
        s.flags = flags;
        s.wscale = 0xff;
        std::vector<uint8_t> f(100);
        f.resize(net::build_tcp(s, f.data(), static_cast<uint16_t>(f.size())));
        return f;
    };
    const auto synack = frame(net::kTcpSyn | net::kTcpAck), rst = frame(net::kTcpRst | net::kTcpAck),
               ack = frame(net::kTcpAck);
    CHECK(ReplyTally::classify(synack.data(), synack.size()) == ReplyTally::Kind::SynAck);
    CHECK(ReplyTally::classify(rst.data(), rst.size()) == ReplyTally::Kind::Rst);
    CHECK(ReplyTally::classify(ack.data(), ack.size()) == ReplyTally::Kind::Other);
    const auto synack6 = frame(net::kTcpSyn | net::kTcpAck, true), rst6 = frame(net::kTcpRst, true);
    CHECK(ReplyTally::classify(synack6.data(), synack6.size()) == ReplyTally::Kind::SynAck);
    CHECK(ReplyTally::classify(rst6.data(), rst6.size()) == ReplyTally::Kind::Rst);
    const uint8_t junk[20] = {};
    CHECK(ReplyTally::classify(junk, sizeof junk) == ReplyTally::Kind::Other);

    ReplyTally t;
    const auto t0 = Clock::now();
    t.start(t0);
    t.sent(t0 + 100ms, 10);
    t.reply(t0 + 200ms, ReplyTally::Kind::SynAck);
    t.reply(t0 + 999ms, ReplyTally::Kind::SynAck);
    t.sent(t0 + 1000ms, 5);
    t.reply(t0 + 1500ms, ReplyTally::Kind::Rst);
    t.reply(t0 + 3200ms, ReplyTally::Kind::Other);
    REQUIRE(t.seconds().size() == 4);
    CHECK(t.seconds()[0].sent == 10);
    CHECK(t.seconds()[0].synack == 2);
    CHECK(t.seconds()[1].sent == 5);
    CHECK(t.seconds()[1].rst == 1);
    CHECK(t.seconds()[2].synack + t.seconds()[2].rst + t.seconds()[2].other == 0);
    CHECK(t.seconds()[3].other == 1);
    const auto j = t.report();
    CHECK(j["synack"] == 2);
    CHECK(j["rst"] == 1);
    CHECK(j["other"] == 1);
    CHECK(j["per_second"].size() == 4);
    CHECK(j["per_second"][1]["sent"] == 5);
}

TEST_CASE("every malformed flood kind is what its name says, as the services' parser sees it")
{
    using offsched::traffic::Malformation;
    using PE = offsched::net::ParseError;
    // TCP checksums are left to the host stack (the parser, like an XDP filter, does not verify
    // them); IP options and a VLAN tag are unusual but legal.
    const std::pair<Malformation, PE> want[] = {
        {Malformation::Runt, PE::EthTruncated},           {Malformation::IpTruncated, PE::Ipv4Truncated},
        {Malformation::IhlTooSmall, PE::Ipv4BadIhl},       {Malformation::TotalLenTooLong, PE::Ipv4BadTotalLen},
        {Malformation::TotalLenTooShort, PE::Ipv4BadTotalLen}, {Malformation::IpChecksumBad, PE::Ipv4BadChecksum},
        {Malformation::IpOptions, PE::Ok},                 {Malformation::FirstFragment, PE::Ipv4Fragment},
        {Malformation::LaterFragment, PE::Ipv4Fragment},   {Malformation::VlanTagged, PE::Ok},
        {Malformation::TcpOffsetBad, PE::TcpBadOffset},    {Malformation::TcpTruncated, PE::TcpTruncated},
        {Malformation::TcpChecksumBad, PE::Ok},
    };
    STATIC_REQUIRE(sizeof want / sizeof *want == static_cast<size_t>(Malformation::Count));
    for (const auto& [kind, error] : want) {
        offsched::net::TcpSpec s{};
        s.addr.src_ip = 0xc6120001;
        s.addr.dst_ip = 0x0a00000a;
        s.addr.src_port = 4000;
        s.addr.dst_port = 80;
        s.flags = offsched::net::kTcpSyn;
        s.mss = 1460;
        s.wscale = 0xff;
        uint8_t frame[128];
        const size_t len = offsched::traffic::malform(kind, frame, offsched::net::build_tcp(s, frame, sizeof frame), sizeof frame);
        offsched::net::ParsedFrame p{};
        INFO(offsched::traffic::malformation_name(kind));
        CHECK(offsched::net::parse_frame(frame, static_cast<uint16_t>(len), &p) == error);
        if (error == PE::Ok) { // still the same SYN underneath
            CHECK(p.dst_port == 80);
            CHECK(p.src_ip == 0xc6120001u);
        }
    }
}
