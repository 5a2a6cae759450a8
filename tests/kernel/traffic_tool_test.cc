// The host traffic tool against a scripted peer over real loopback UDP sockets (the transport
// QEMU's socket netdev uses): flood pacing and frame validity, the TCP client state machine
// through a complete exchange, SYN retransmission, and ARP answers.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstring>
#include <unistd.h>

#include "services/net/build.h"
#include "services/net/byte_order.h"
#include "services/net/headers.h"
#include "services/net/parse.h"
#include "tools/traffic/arp_responder.h"
#include "tools/traffic/frame_link.h"
#include "tools/traffic/syn_flood.h"
#include "tools/traffic/tcp_clients.h"

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

TEST_CASE("clients: handshake, request, HTTP answer, then RST; latency recorded")
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
