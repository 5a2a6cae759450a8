// The firewall on IPv6: the same rules filter it (a prefix of one family matches that family
// only; "any" both), neighbour discovery passes as ARP does, per-source limits count a /64,
// malformed IPv6 is dropped by cause, and the SYN proxy leaves IPv6 to the rules.
#include <catch2/catch.hpp>

#include <memory>

#include "fakes.h"
#include "firewall_fixture.h"
#include "frames.h"
#include "services/firewall/firewall.h"

using namespace offsched;
using namespace offsched::test;
using firewall::Rule;

namespace {

constexpr u64 kDocNet = 0x20010db800000000ull; // 2001:db8::/32

// The headline rule: SYNs to port 22 are dropped, from any source (no src given).
Rule drop_ssh_syns()
{
    Rule r{};
    r.dst_port_min = r.dst_port_max = 22;
    r.proto = firewall::kProtoTcp;
    r.syn_only = true;
    r.action = firewall::kDrop;
    return r;
}

Pkt syn6(u64 src_hi, u64 src_lo, u16 dport = 22)
{
    Pkt p;
    p.v6 = true;
    p.src6[0] = src_hi;
    p.src6[1] = src_lo;
    p.dport = dport;
    p.flags = net::kTcpSyn;
    return p;
}

// A neighbour solicitation: ICMPv6 type 135 (only type and hop limit matter to the firewall).
std::vector<u8> neighbour_solicitation(u8 hop_limit)
{
    Pkt p;
    p.v6 = true;
    p.hop_limit = hop_limit;
    auto f = make(p);
    f[net::kEthHeaderLen + 6] = net::kIpProtoIcmpv6;
    f[net::kEthHeaderLen + net::kIpv6HeaderLen] = 135;
    f[net::kEthHeaderLen + net::kIpv6HeaderLen + 1] = 0;
    return f;
}

} // namespace

TEST_CASE("an IPv6 SYN flood meets the same rules as IPv4: a rule without a source drops both")
{
    FakeEnv e;
    auto c = base_config();
    c.rules[0] = drop_ssh_syns();
    c.rule_count = 1;
    auto fw = make_fw(e, c);
    for (u64 i = 0; i < 10; ++i) e.queues[0].push(make(syn6(kDocNet | i << 16, i * 7919)));
    Pkt v4;
    v4.flags = net::kTcpSyn;
    v4.dport = 22;
    e.queues[0].push(make(v4));
    Pkt ack6 = syn6(kDocNet, 1);
    ack6.flags = net::kTcpAck; // not a SYN: the rule does not match, default allow
    e.queues[0].push(make(ack6));
    fw->step(64);
    CHECK(stat(*fw, "ipv6") == 11);
    CHECK(stat(*fw, "rule0_hits") == 11);
    CHECK(stat(*fw, "dropped_rule") == 11);
    CHECK(stat(*fw, "passed") == 1);
    CHECK(e.host.total() == 1);
}

TEST_CASE("a prefix of one family matches that family only")
{
    FakeEnv e;
    auto c = base_config();
    c.rules[0] = drop_ssh_syns();
    c.rules[0].src = ipv4_prefix(0, 0); // 0.0.0.0/0: every IPv4 source, no IPv6 one
    c.rules[1] = drop_ssh_syns();
    c.rules[1].src = ipv6_prefix(kDocNet, 0, 32); // 2001:db8::/32
    c.rule_count = 2;
    auto fw = make_fw(e, c);
    e.queues[0].push(make(syn6(kDocNet | 5, 1)));                 // in 2001:db8::/32: rule 1
    e.queues[0].push(make(syn6(0x2001db9000000000ull, 1)));       // 2001:db9::: no rule
    Pkt v4;
    v4.flags = net::kTcpSyn;
    v4.dport = 22;
    e.queues[0].push(make(v4)); // rule 0
    fw->step(64);
    CHECK(stat(*fw, "rule0_hits") == 1);
    CHECK(stat(*fw, "rule1_hits") == 1);
    CHECK(stat(*fw, "passed") == 1);
}

TEST_CASE("IPv6 prefixes match on every bit up to their length, across the 64-bit halves")
{
    FakeEnv e;
    auto c = base_config();
    c.rules[0].src = ipv6_prefix(kDocNet | 0xabcd, 0x8000000000000000ull, 65); // 2001:db8:0:abcd:8000::/65
    c.rules[0].action = firewall::kAllow;
    c.rule_count = 1;
    c.default_action = firewall::kDrop;
    auto fw = make_fw(e, c);
    e.queues[0].push(make(syn6(kDocNet | 0xabcd, 0x8000000000000001ull, 80))); // inside
    e.queues[0].push(make(syn6(kDocNet | 0xabcd, 0x7fffffffffffffffull, 80))); // bit 65 differs
    e.queues[0].push(make(syn6(kDocNet | 0xabce, 0x8000000000000000ull, 80))); // high half differs
    fw->step(64);
    CHECK(stat(*fw, "rule0_hits") == 1);
    CHECK(stat(*fw, "dropped_rule") == 2);
}

TEST_CASE("neighbour discovery passes before the rules, as ARP does, unless turned off")
{
    for (bool pass : {true, false}) {
        FakeEnv e;
        auto c = base_config();
        c.default_action = firewall::kDrop; // a host that allows nothing else
        c.pass_neighbour_discovery = pass;
        auto fw = make_fw(e, c);
        e.queues[0].push(neighbour_solicitation(255));
        e.queues[0].push(neighbour_solicitation(64)); // forwarded by a router: not neighbour discovery
        fw->step(8);
        CHECK(stat(*fw, "nd_passed") == (pass ? 1u : 0u));
        CHECK(stat(*fw, "passed") == (pass ? 1u : 0u));
        CHECK(stat(*fw, "dropped_rule") == (pass ? 1u : 2u));
    }
}

TEST_CASE("proto icmp matches ICMPv6 over IPv6")
{
    FakeEnv e;
    auto c = base_config();
    c.pass_neighbour_discovery = false;
    c.rules[0].proto = firewall::kProtoIcmp;
    c.rules[0].action = firewall::kDrop;
    c.rule_count = 1;
    auto fw = make_fw(e, c);
    e.queues[0].push(neighbour_solicitation(255));
    fw->step(8);
    CHECK(stat(*fw, "rule0_hits") == 1);
}

TEST_CASE("a per-source rate limit counts an IPv6 /64 as one source")
{
    FakeEnv e(1, 4, 1000);
    auto c = base_config();
    c.rules[0].action = firewall::kRateLimit;
    c.rules[0].rate_pps = 1;
    c.rules[0].burst = 2;
    c.rule_count = 1;
    auto fw = make_fw(e, c);
    for (u64 lo = 1; lo <= 5; ++lo) e.queues[0].push(make(syn6(kDocNet | 1, lo, 80))); // five addresses, one /64
    e.queues[0].push(make(syn6(kDocNet | 2, 1, 80)));                                 // another /64
    fw->step(64);
    CHECK(stat(*fw, "passed") == 3);
    CHECK(stat(*fw, "dropped_ratelimit") == 3);
}

TEST_CASE("malformed IPv6 is dropped and counted by its cause")
{
    FakeEnv e;
    auto fw = make_fw(e, base_config());
    auto f = make(syn6(kDocNet, 1));
    f[net::kEthHeaderLen + 6] = net::kIpProtoFragment; // a fragment header: first fragment, more follow
    const u8 frag[8] = {net::kIpProtoTcp, 0, 0, 1, 0, 0, 0, 1};
    f.insert(f.begin() + net::kEthHeaderLen + net::kIpv6HeaderLen, frag, frag + 8);
    net::store_be16(f.data() + net::kEthHeaderLen + 4, static_cast<u16>(f.size() - net::kEthHeaderLen - net::kIpv6HeaderLen));
    e.queues[0].push(f);
    fw->step(8);
    CHECK(stat(*fw, "dropped_malformed") == 1);
    CHECK(stat(*fw, "malformed_ipv6_fragment") == 1);
    CHECK(stat(*fw, "ipv6") == 0);
}

TEST_CASE("with the SYN proxy on, IPv6 SYNs to its ports meet syn_limit, then the proxy")
{
    FakeEnv e;
    auto c = base_config();
    c.synproxy = true;
    c.synproxy_port_min = c.synproxy_port_max = 80;
    c.synproxy_connections = 64;
    c.syn_limit = true;
    c.syn_limit_pps = 1;
    c.syn_limit_burst = 1;
    e.provide(Firewall::needs(c));
    auto fw = make_fw(e, c);
    e.queues[0].push(make(syn6(kDocNet, 1, 80)));
    e.queues[0].push(make(syn6(kDocNet, 2, 80)));
    fw->step(8);
    CHECK(stat(*fw, "syn_received") == 1); // answered with a cookie, never passed up
    CHECK(stat(*fw, "cookies_sent") == 1);
    CHECK(stat(*fw, "passed") == 0);
    CHECK(stat(*fw, "dropped_syn_limit") == 1);
}
