// SYN-cookie mode end to end: SYN -> SYN-ACK with cookie on the wire -> client ACK -> the OS
// receives a reconstructed SYN and the ACK; forged, expired and stateless segments are refused.
#include <catch2/catch.hpp>

#include <memory>

#include "fakes.h"
#include "frames.h"
#include "services/firewall/firewall.h"
#include "services/firewall/syn_cookie.h"
#include "services/net/parse.h"

using namespace offsched;
using namespace offsched::test;

namespace {

constexpr u32 kClient = net::ipv4(198, 51, 100, 7);

struct CookieFixture {
    CookieFixture() : e(1, 4, 1000)
    {
        Firewall::defaults(cfg);
        cfg.syn_limit = false;
        cfg.syncookies = true;
        cfg.cookie_port_min = 1;
        cfg.cookie_port_max = 1023;
        ConfigError err;
        REQUIRE(Firewall::validate(cfg, err));
        fw = std::make_unique<Firewall>(e.env, cfg);
    }
    // Sends the client's SYN and returns the parsed SYN-ACK the firewall transmitted.
    net::ParsedFrame handshake_synack(u32 isn = 5000, u16 mss = 1400)
    {
        Pkt s;
        s.src = kClient;
        s.flags = net::kTcpSyn;
        s.seq = isn;
        s.mss = mss;
        e.queues[0].push(make(s));
        const StepResult r = fw->step(16);
        REQUIRE(r.packets == 1);
        REQUIRE(r.work_units == 1);
        REQUIRE(e.queues[0].sent.size() == 1);
        net::ParsedFrame p;
        const Bytes& out = e.queues[0].sent.back();
        REQUIRE(net::parse_frame(out.data(), static_cast<u16>(out.size()), &p) == net::ParseError::Ok);
        e.queues[0].sent.clear();
        return p;
    }
    Bytes ack(u32 seq, u32 ack_no, u8 flags = net::kTcpAck, u16 payload = 0)
    {
        Pkt a;
        a.src = kClient;
        a.flags = flags;
        a.seq = seq;
        a.ack = ack_no;
        a.payload = payload;
        return make(a);
    }
    FakeEnv e;
    Firewall::Config cfg;
    std::unique_ptr<Firewall> fw;
};

} // namespace

TEST_CASE_METHOD(CookieFixture, "SYN is answered with a SYN-ACK cookie, never passed")
{
    const net::ParsedFrame sa = handshake_synack(5000, 1400);
    CHECK(e.host.total() == 0);
    CHECK(stat(*fw, "cookies_sent") == 1);
    CHECK(sa.tcp_flags == (net::kTcpSyn | net::kTcpAck));
    CHECK(sa.src_ip == net::ipv4(10, 0, 0, 1));
    CHECK(sa.dst_ip == kClient);
    CHECK(sa.src_port == 80);
    CHECK(sa.dst_port == 40000);
    CHECK(sa.ack == 5001);
    CHECK(sa.mss == 1400);
    CHECK(sa.src_mac[5] == 0xaa); // the NIC queue's own address
    CHECK(sa.dst_mac[5] == 0x01); // back to the client's
}

TEST_CASE_METHOD(CookieFixture, "a valid ACK passes a reconstructed SYN then the ACK, on one cpu")
{
    const net::ParsedFrame sa = handshake_synack(5000, 1400);
    e.clock.now += 1000; // 1 ms later
    e.queues[0].push(ack(5001, sa.seq + 1));
    fw->step(16);
    CHECK(stat(*fw, "cookies_valid") == 1);
    CHECK(stat(*fw, "syn_synthesized") == 1);
    CHECK(stat(*fw, "passed") == 2);
    REQUIRE(e.host.total() == 2);
    u32 cpu = 0;
    while (e.host.rings[cpu].empty()) ++cpu;
    REQUIRE(e.host.rings[cpu].size() == 2);
    net::ParsedFrame syn, a;
    const Bytes& s0 = e.host.rings[cpu][0];
    const Bytes& s1 = e.host.rings[cpu][1];
    REQUIRE(net::parse_frame(s0.data(), static_cast<u16>(s0.size()), &syn) == net::ParseError::Ok);
    REQUIRE(net::parse_frame(s1.data(), static_cast<u16>(s1.size()), &a) == net::ParseError::Ok);
    CHECK(net::l4_checksum_ok(s0.data(), syn));
    CHECK(syn.tcp_flags == net::kTcpSyn);
    CHECK(syn.seq == 5000);
    CHECK(syn.mss == 1400);
    CHECK(syn.src_ip == kClient);
    CHECK(syn.dst_port == 80);
    CHECK(a.tcp_flags == net::kTcpAck);
    CHECK(a.ack == sa.seq + 1);
    CHECK(e.host.doorbells[cpu] == 1);

    // The flow is now known: data segments pass without a cookie.
    e.queues[0].push(ack(5001, sa.seq + 1, net::kTcpAck | net::kTcpPsh, 100));
    fw->step(16);
    CHECK(stat(*fw, "passed") == 3);
    CHECK(stat(*fw, "cookies_invalid") == 0);
}

TEST_CASE_METHOD(CookieFixture, "forged, mismatched and expired cookies are refused")
{
    const net::ParsedFrame sa = handshake_synack(5000, 1460);
    SECTION("wrong cookie")
    {
        e.queues[0].push(ack(5001, sa.seq + 2));
        fw->step(16);
        CHECK(stat(*fw, "cookies_invalid") == 1);
    }
    SECTION("cookie replayed with another client ISN")
    {
        e.queues[0].push(ack(7001, sa.seq + 1));
        fw->step(16);
        CHECK(stat(*fw, "cookies_invalid") == 1);
    }
    SECTION("next time slot still valid")
    {
        e.clock.now += u64{1000} * 1000 * firewall::kCookieSlotSeconds;
        e.queues[0].push(ack(5001, sa.seq + 1));
        fw->step(16);
        CHECK(stat(*fw, "cookies_valid") == 1);
    }
    SECTION("two slots later: expired")
    {
        e.clock.now += 2 * u64{1000} * 1000 * firewall::kCookieSlotSeconds;
        e.queues[0].push(ack(5001, sa.seq + 1));
        fw->step(16);
        CHECK(stat(*fw, "cookies_invalid") == 1);
    }
    CHECK(e.host.total() == (stat(*fw, "cookies_valid") ? 2u : 0u));
}

TEST_CASE_METHOD(CookieFixture, "stateless segments to protected ports are dropped; others pass")
{
    e.queues[0].push(ack(1, 1, net::kTcpRst));
    e.queues[0].push(ack(1, 1, net::kTcpFin));
    Pkt high;
    high.src = kClient;
    high.dport = 8080; // outside the protected range: normal path
    high.flags = net::kTcpSyn;
    e.queues[0].push(make(high));
    fw->step(16);
    CHECK(stat(*fw, "dropped_no_flow") == 2);
    CHECK(stat(*fw, "passed") == 1);
    CHECK(stat(*fw, "cookies_sent") == 0);
}

TEST_CASE_METHOD(CookieFixture, "a NIC that refuses the SYN-ACK is counted")
{
    e.queues[0].tx_capacity = 0;
    Pkt s;
    s.src = kClient;
    s.flags = net::kTcpSyn;
    e.queues[0].push(make(s));
    fw->step(16);
    CHECK(stat(*fw, "cookies_sent") == 0);
    CHECK(stat(*fw, "cookie_tx_full") == 1);
}

TEST_CASE("cookie MSS index picks the largest table value not above the client's")
{
    CHECK(firewall::kCookieMss[firewall::cookie_mss_index(0)] == 536);
    CHECK(firewall::kCookieMss[firewall::cookie_mss_index(1460)] == 1460);
    CHECK(firewall::kCookieMss[firewall::cookie_mss_index(1459)] == 1452);
    CHECK(firewall::kCookieMss[firewall::cookie_mss_index(9000)] == 8960);
    CHECK(firewall::kCookieMss[firewall::cookie_mss_index(100)] == 536);
}
