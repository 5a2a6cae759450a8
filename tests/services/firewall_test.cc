// Firewall driven through its Service interface with hosted fakes: rule order, rate limits,
// SYN limit, steering, doorbells, ring-full, malformed frames, queue round robin.
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <set>
#include <string>

#include "fakes.h"
#include "firewall_fixture.h"
#include "frames.h"
#include "services/firewall/firewall.h"
#include "services/net/checksum.h"
#include "services/net/parse.h"
#include "services/registry.h"

using namespace offsched;
using namespace offsched::test;
using firewall::Rule;

namespace {

Rule rule(u32 net, u32 prefix, u32 pmin, u32 pmax, u32 action, u32 proto = firewall::kProtoAny)
{
    Rule r{};
    r.src = ipv4_prefix(net, prefix);
    r.dst_port_min = pmin;
    r.dst_port_max = pmax;
    r.proto = proto;
    r.action = action;
    return r;
}

Pkt tcp_to(u32 src, u16 dport)
{
    Pkt p;
    p.src = src;
    p.dport = dport;
    return p;
}

} // namespace

TEST_CASE("first matching rule decides, in order")
{
    FakeEnv e;
    auto c = base_config();
    c.rules[0] = rule(net::ipv4(10, 0, 0, 0), 8, 22, 22, firewall::kDrop);
    c.rules[1] = rule(0, 0, 22, 22, firewall::kAllow);
    c.rules[2] = rule(0, 0, 0, 65535, firewall::kAllow, firewall::kProtoUdp);
    c.rule_count = 3;
    c.default_action = firewall::kDrop;
    auto fw = make_fw(e, c);

    e.queues[0].push(make(tcp_to(net::ipv4(10, 1, 2, 3), 22))); // rule 0: drop
    e.queues[0].push(make(tcp_to(net::ipv4(192, 168, 0, 1), 22))); // rule 1: allow
    e.queues[0].push(make(tcp_to(net::ipv4(192, 168, 0, 1), 80))); // no rule: default drop
    Pkt u = tcp_to(net::ipv4(10, 1, 2, 3), 53);
    u.udp = true;
    e.queues[0].push(make(u)); // rule 2: allow
    const StepResult r = fw->step(64);
    CHECK(r.packets == 4);
    CHECK(stat(*fw, "rx") == 4);
    CHECK(stat(*fw, "rule0_hits") == 1);
    CHECK(stat(*fw, "rule1_hits") == 1);
    CHECK(stat(*fw, "rule2_hits") == 1);
    CHECK(stat(*fw, "dropped_rule") == 2);
    CHECK(stat(*fw, "passed") == 2);
    REQUIRE(e.host.total() == 2);
    // The verdicts the backend books: one per frame, as the rules decided.
    CHECK(e.queues[0].verdict_count(Verdict::Drop) == 2);
    CHECK(e.queues[0].verdict_count(Verdict::Pass) == 2);
    CHECK(e.queues[0].undecided() == 0);
}

TEST_CASE("syn_only rules match connection attempts only")
{
    FakeEnv e;
    auto c = base_config();
    c.rules[0] = rule(0, 0, 80, 80, firewall::kDrop, firewall::kProtoTcp);
    c.rules[0].syn_only = true;
    c.rule_count = 1;
    auto fw = make_fw(e, c);
    e.queues[0].push(syn(net::ipv4(1, 2, 3, 4)));
    Pkt synack = tcp_to(net::ipv4(1, 2, 3, 4), 80);
    synack.flags = net::kTcpSyn | net::kTcpAck;
    e.queues[0].push(make(synack));
    e.queues[0].push(make(tcp_to(net::ipv4(1, 2, 3, 4), 80)));
    fw->step(64);
    CHECK(stat(*fw, "dropped_rule") == 1);
    CHECK(stat(*fw, "passed") == 2);
}

TEST_CASE("per-source rate limit refills exactly one token per khz*1000/rate cycles")
{
    FakeEnv e(1, 4, 1000); // 1 MHz clock: 1000 pps = one token per 1000 cycles
    auto c = base_config();
    c.rules[0] = rule(0, 0, 0, 65535, firewall::kRateLimit);
    c.rules[0].rate_pps = 1000;
    c.rules[0].burst = 2;
    c.rule_count = 1;
    auto fw = make_fw(e, c);
    const u32 a = net::ipv4(198, 51, 100, 1), b = net::ipv4(198, 51, 100, 2);
    for (int i = 0; i < 3; ++i) e.queues[0].push(make(tcp_to(a, 80)));
    e.queues[0].push(make(tcp_to(b, 80))); // another source has its own bucket
    fw->step(64);
    CHECK(stat(*fw, "passed") == 3);
    CHECK(stat(*fw, "dropped_ratelimit") == 1);

    e.clock.now += 999;
    e.queues[0].push(make(tcp_to(a, 80)));
    fw->step(64);
    CHECK(stat(*fw, "dropped_ratelimit") == 2); // one cycle short of a token

    e.clock.now += 1;
    e.queues[0].push(make(tcp_to(a, 80)));
    fw->step(64);
    CHECK(stat(*fw, "passed") == 4); // the 999 cycles were not lost: 1 more cycle completes it

    e.clock.now += 1000000; // long idle: refills to the burst, not beyond
    for (int i = 0; i < 3; ++i) e.queues[0].push(make(tcp_to(a, 80)));
    fw->step(64);
    CHECK(stat(*fw, "passed") == 6);
    CHECK(stat(*fw, "dropped_ratelimit") == 3);
}

TEST_CASE("global SYN limit applies to SYNs only, across all sources")
{
    FakeEnv e(1, 4, 2000); // 2 MHz, 1000 SYN/s = one per 2000 cycles
    auto c = base_config();
    c.syn_limit = true;
    c.syn_limit_pps = 1000;
    c.syn_limit_burst = 3;
    auto fw = make_fw(e, c);
    for (u32 i = 0; i < 5; ++i) e.queues[0].push(syn(net::ipv4(203, 0, 113, static_cast<u8>(i))));
    e.queues[0].push(make(tcp_to(net::ipv4(203, 0, 113, 9), 80))); // plain ACK: not limited
    fw->step(64);
    CHECK(stat(*fw, "dropped_syn_limit") == 2);
    CHECK(stat(*fw, "passed") == 4);
    e.clock.now += 1999;
    e.queues[0].push(syn(net::ipv4(203, 0, 113, 20)));
    fw->step(64);
    CHECK(stat(*fw, "dropped_syn_limit") == 3);
    e.clock.now += 1;
    e.queues[0].push(syn(net::ipv4(203, 0, 113, 21)));
    fw->step(64);
    CHECK(stat(*fw, "passed") == 5);
}

TEST_CASE("malformed frames are dropped and counted by cause")
{
    FakeEnv e;
    auto c = base_config();
    c.verify_l4_checksum = true;
    auto fw = make_fw(e, c);
    auto good = make(tcp_to(net::ipv4(1, 1, 1, 1), 80));
    e.queues[0].push(Bytes(good.begin(), good.begin() + 10)); // eth_truncated
    e.queues[0].push(Bytes(good.begin(), good.begin() + 30)); // ipv4_truncated
    e.queues[0].push(Bytes(good.begin(), good.end() - 1));    // ipv4_bad_total_len
    auto frag = good;
    frag[14 + 6] = 0x20; // MF
    frag[14 + 10] = frag[14 + 11] = 0;
    const u16 ck = net::ipv4_header_checksum(frag.data() + 14, 20);
    net::store_be16(frag.data() + 14 + 10, ck);
    e.queues[0].push(frag);
    auto badsum = good;
    badsum.back() ^= 0xff;
    e.queues[0].push(badsum);
    e.queues[0].push(good);
    fw->step(64);
    CHECK(stat(*fw, "dropped_malformed") == 5);
    CHECK(stat(*fw, "malformed_eth_truncated") == 1);
    CHECK(stat(*fw, "malformed_ipv4_truncated") == 1);
    CHECK(stat(*fw, "malformed_ipv4_bad_total_len") == 1);
    CHECK(stat(*fw, "malformed_ipv4_fragment") == 1);
    CHECK(stat(*fw, "malformed_l4_checksum") == 1);
    CHECK(stat(*fw, "passed") == 1);
}

TEST_CASE("malformed_* stat names follow the parser's cause names")
{
    FakeEnv e;
    auto fw = make_fw(e, base_config());
    for (int i = 1; i < static_cast<int>(net::ParseError::Count); ++i) {
        const auto err = static_cast<net::ParseError>(i);
        if (err == net::ParseError::NotIp) continue;
        const std::string want = std::string("malformed_") + net::parse_error_name(err);
        CHECK(fw->stat_desc(firewall::malformed_stat(err)).name == want);
    }
}

TEST_CASE("non-IPv4 frames follow pass_non_ip")
{
    auto arp = make(tcp_to(1, 1));
    net::store_be16(arp.data() + 12, net::kEtherTypeArp);
    for (bool pass : {true, false}) {
        FakeEnv e;
        auto c = base_config();
        c.pass_non_ip = pass;
        auto fw = make_fw(e, c);
        e.queues[0].push(arp, 0x1234);
        fw->step(8);
        CHECK(stat(*fw, "passed") == (pass ? 1u : 0u));
        CHECK(stat(*fw, "dropped_non_ip") == (pass ? 0u : 1u));
    }
}

TEST_CASE("flows are steered by hash, one flow to one cpu, one doorbell per cpu per step")
{
    FakeEnv e(1, 4);
    auto fw = make_fw(e, base_config());
    for (int i = 0; i < 10; ++i) e.queues[0].push(make(tcp_to(net::ipv4(5, 5, 5, 5), 443)));
    fw->step(64);
    u32 used = 0, bells = 0;
    for (u32 cpu = 0; cpu < 4; ++cpu) {
        if (!e.host.rings[cpu].empty()) {
            ++used;
            CHECK(e.host.rings[cpu].size() == 10);
        }
        bells += e.host.doorbells[cpu];
    }
    CHECK(used == 1);
    CHECK(bells == 1);

    for (u16 port = 1000; port < 1064; ++port) e.queues[0].push(make(tcp_to(net::ipv4(5, 5, 5, 5), port)));
    fw->step(64);
    u32 busy = 0, bells2 = 0;
    for (u32 cpu = 0; cpu < 4; ++cpu) {
        busy += !e.host.rings[cpu].empty();
        bells2 += e.host.doorbells[cpu];
    }
    CHECK(busy == 4); // 64 flows over 4 cpus: every cpu gets some
    CHECK(bells2 == bells + 4);
    CHECK(stat(*fw, "doorbells") == bells2);

    fw->step(64); // nothing to do: no doorbell
    CHECK(stat(*fw, "doorbells") == bells2);
}

TEST_CASE("a full OS ring is counted, not retried")
{
    FakeEnv e(1, 1);
    e.host.capacity = 2;
    auto fw = make_fw(e, base_config());
    for (int i = 0; i < 5; ++i) e.queues[0].push(make(tcp_to(net::ipv4(5, 5, 5, 5), 443)));
    fw->step(64);
    CHECK(stat(*fw, "passed") == 2);
    CHECK(stat(*fw, "host_ring_full") == 3);
}

TEST_CASE("queues are polled round robin within the budget")
{
    FakeEnv e(2);
    auto fw = make_fw(e, base_config());
    for (int i = 0; i < 40; ++i) {
        e.queues[0].push(make(tcp_to(net::ipv4(1, 0, 0, 1), 80)));
        e.queues[1].push(make(tcp_to(net::ipv4(1, 0, 0, 2), 80)));
    }
    StepResult r = fw->step(50);
    CHECK(r.packets == 50);
    CHECK(e.queues[0].pending.size() == 40 - Firewall::kBurst);
    CHECK(e.queues[1].pending.size() == 40 - 18);
    r = fw->step(50); // starts at queue 1 this time
    CHECK(r.packets == 30);
    CHECK(e.queues[0].pending.empty());
    CHECK(e.queues[1].pending.empty());
    CHECK(fw->step(50).idle());
    CHECK(stat(*fw, "rx") == 80);
}

TEST_CASE("more sources than bucket slots: evictions counted, newcomers still limited")
{
    FakeEnv e;
    auto c = base_config();
    c.rules[0] = rule(0, 0, 0, 65535, firewall::kRateLimit);
    c.rules[0].rate_pps = 1;
    c.rules[0].burst = 1;
    c.rule_count = 1;
    auto fw = make_fw(e, c);
    const u32 n = 2 * firewall::SourceTable::kSlots;
    u64 taken = 0;
    for (u32 i = 0; i < n; ++i) {
        e.queues[0].push(make(tcp_to(net::ipv4(100, 64, 0, 0) + i, 80)));
        e.queues[0].push(make(tcp_to(net::ipv4(100, 64, 0, 0) + i, 80))); // second: over the burst
        while (!e.queues[0].pending.empty()) taken += fw->step(64).packets;
        ++e.clock.now;
    }
    CHECK(taken == 2 * n);
    CHECK(stat(*fw, "passed") == n);
    CHECK(stat(*fw, "dropped_ratelimit") == n);
    CHECK(stat(*fw, "bucket_evictions") >= n - firewall::SourceTable::kSlots);
}

TEST_CASE("each rule counts its frames, their bytes and when it last matched")
{
    FakeEnv e; // 1 MHz clock starting at 1,000,000 cycles: 1,000 ms
    auto c = base_config();
    c.rules[0] = rule(net::ipv4(10, 0, 0, 0), 8, 22, 22, firewall::kDrop);
    c.rules[1] = rule(0, 0, 22, 22, firewall::kAllow);
    c.rules[2] = rule(0, 0, 0, 65535, firewall::kAllow, firewall::kProtoUdp);
    c.rule_count = 3;
    auto fw = make_fw(e, c);
    const auto a = make(tcp_to(net::ipv4(10, 1, 2, 3), 22)), b = make(tcp_to(net::ipv4(192, 168, 0, 1), 22));
    e.queues[0].push(a);
    e.queues[0].push(a);
    e.queues[0].push(b);
    fw->step(64);
    CHECK(stat(*fw, "rule0_hits") == 2);
    CHECK(stat(*fw, "rule0_bytes") == 2u * a.size());
    CHECK(stat(*fw, "rule1_bytes") == b.size());
    CHECK(stat(*fw, "rule0_last_hit_ms") == 1001); // the millisecond from 1: 1,000 ms in
    CHECK(stat(*fw, "rule2_hits") == 0);
    CHECK(stat(*fw, "rule2_last_hit_ms") == 0); // never
    e.clock.now += 2'500'000; // 2.5 s later only rule 1 matches
    e.queues[0].push(b);
    fw->step(64);
    CHECK(stat(*fw, "rule1_last_hit_ms") == 3501);
    CHECK(stat(*fw, "rule0_last_hit_ms") == 1001);
    CHECK(stat(*fw, "rule1_bytes") == 2u * b.size());
    // The merge a multi-core backend applies: the latest last hit, the sum of the rest.
    u32 i = 0;
    while (std::string(fw->stat_desc(i).name) != "rule1_last_hit_ms") ++i;
    CHECK(fw->stat_desc(i).merge == StatMerge::Max);
    CHECK(fw->stat_desc(i - 1).merge == StatMerge::Sum);
}

TEST_CASE("reload: new rules decide from the next frame, counters follow their rule by name or content")
{
    FakeEnv e;
    auto c = base_config();
    c.rules[0] = rule(net::ipv4(10, 0, 0, 0), 8, 22, 22, firewall::kDrop);      // unnamed: follows its content
    c.rules[1] = rule(0, 0, 22, 22, firewall::kAllow);
    std::strcpy(c.rules[1].name, "ssh");                                         // named: follows the name
    c.rules[2] = rule(0, 0, 0, 65535, firewall::kAllow, firewall::kProtoUdp);  // dropped by the reload
    c.rule_count = 3;
    auto fw = make_fw(e, c);
    e.queues[0].push(make(tcp_to(net::ipv4(10, 1, 2, 3), 22)));
    e.queues[0].push(make(tcp_to(net::ipv4(10, 1, 2, 3), 22)));
    e.queues[0].push(make(tcp_to(net::ipv4(192, 168, 0, 1), 22)));
    Pkt u = tcp_to(net::ipv4(10, 1, 2, 3), 53);
    u.udp = true;
    e.queues[0].push(make(u));
    fw->step(64);
    REQUIRE(stat(*fw, "rule0_hits") == 2);

    // Reordered, the ssh rule narrowed to one network (still "ssh"), the UDP rule gone, a new one.
    auto n = base_config();
    n.rules[0] = rule(net::ipv4(192, 168, 0, 0), 16, 22, 22, firewall::kAllow);
    std::strcpy(n.rules[0].name, "ssh");
    n.rules[1] = rule(net::ipv4(10, 0, 0, 0), 8, 22, 22, firewall::kDrop);
    n.rules[2] = rule(net::ipv4(172, 16, 0, 0), 12, 0, 65535, firewall::kDrop);
    n.rule_count = 3;
    n.default_action = firewall::kDrop;
    ConfigError err;
    REQUIRE(Firewall::validate(n, err));
    REQUIRE(find_service("firewall")->reload_check(&c, &n, &err));
    fw->reload(&n, {});
    CHECK(stat(*fw, "reloads") == 1);
    CHECK(stat(*fw, "rule0_hits") == 1); // "ssh"'s
    CHECK(stat(*fw, "rule1_hits") == 2); // the 10/8 drop's, found by content
    CHECK(stat(*fw, "rule1_last_hit_ms") == 1001);
    CHECK(stat(*fw, "rule2_hits") == 0); // new
    CHECK(stat(*fw, "rule2_last_hit_ms") == 0);
    CHECK(stat(*fw, "rx") == 4);         // every other counter stays
    // The UDP frame the old list allowed now falls to the new default: drop.
    e.queues[0].push(make(u));
    fw->step(64);
    CHECK(stat(*fw, "dropped_rule") == 3);
    CHECK(stat(*fw, "rule1_hits") == 2);
}
