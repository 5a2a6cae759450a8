// Rules that name a prefix set (src_set): the source must be in the set, of either family; a
// reload brings a new set with its new config, and the rule's counters follow it.
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>

#include "fakes.h"
#include "firewall_fixture.h"
#include "frames.h"
#include "lib/prefix_set/compile.h"
#include "services/firewall/firewall.h"

using namespace offsched;
using namespace offsched::test;

namespace {

// An image as a backend holds it: 8-byte aligned, stable while the service uses it.
struct SetImage {
    std::vector<u64> words;
    ConfigData data() const { return {words.data(), bytes}; }
    u64 bytes = 0;
};

SetImage image(const char* name, const std::string& text)
{
    prefix_sets::CompiledSet s;
    prefix_sets::CompileError err;
    REQUIRE(prefix_sets::compile_prefix_set(name, text, &s, &err));
    const std::vector<u8> img = prefix_sets::build_image({s});
    SetImage out;
    out.words.resize((img.size() + 7) / 8);
    std::memcpy(out.words.data(), img.data(), img.size());
    out.bytes = img.size();
    return out;
}

Firewall::Config blocklist_config()
{
    auto c = base_config();
    std::strcpy(c.rules[0].src_set, "blocklist.txt");
    c.rules[0].action = firewall::kDrop;
    c.rule_count = 1;
    return c;
}

Pkt from4(u32 src)
{
    Pkt p;
    p.src = src;
    p.flags = net::kTcpSyn;
    return p;
}

Pkt from6(u64 hi, u64 lo)
{
    Pkt p;
    p.v6 = true;
    p.src6[0] = hi;
    p.src6[1] = lo;
    p.flags = net::kTcpSyn;
    return p;
}

} // namespace

TEST_CASE("a rule naming a prefix set matches sources in the set, of both families, and no others")
{
    const SetImage set = image("blocklist.txt", "198.51.100.0/24\n203.0.113.5 - 203.0.113.9\n2001:db8:bad::/48\n");
    FakeEnv e;
    e.env.data = set.data();
    auto fw = make_fw(e, blocklist_config());
    e.queues[0].push(make(from4(net::ipv4(198, 51, 100, 77))));
    e.queues[0].push(make(from4(net::ipv4(203, 0, 113, 9))));
    e.queues[0].push(make(from6(0x20010db80bad0000ull, 1)));
    e.queues[0].push(make(from4(net::ipv4(203, 0, 113, 10))));     // just past the range
    e.queues[0].push(make(from4(net::ipv4(198, 51, 101, 1))));     // just past the /24
    e.queues[0].push(make(from6(0x20010db80bae0000ull, 1)));      // the next /48
    fw->step(64);
    CHECK(stat(*fw, "rule0_hits") == 3);
    CHECK(stat(*fw, "dropped_rule") == 3);
    CHECK(stat(*fw, "passed") == 3);
}

TEST_CASE("a prefix set narrows the rule's other conditions, it does not replace them")
{
    const SetImage set = image("blocklist.txt", "198.51.100.0/24\n");
    FakeEnv e;
    e.env.data = set.data();
    auto c = blocklist_config();
    c.rules[0].src = ipv4_prefix(net::ipv4(198, 51, 100, 128), 25); // the upper half only
    c.rules[0].proto = firewall::kProtoUdp;
    auto fw = make_fw(e, c);
    Pkt udp = from4(net::ipv4(198, 51, 100, 200));
    udp.udp = true;
    e.queues[0].push(make(udp));                                   // all conditions: dropped
    e.queues[0].push(make(from4(net::ipv4(198, 51, 100, 200))));   // TCP
    udp.src = net::ipv4(198, 51, 100, 1);
    e.queues[0].push(make(udp));                                   // in the set, not in src
    fw->step(64);
    CHECK(stat(*fw, "rule0_hits") == 1);
    CHECK(stat(*fw, "passed") == 2);
}

TEST_CASE("a rule whose set the data lacks matches nothing")
{
    FakeEnv e; // no data image at all
    auto fw = make_fw(e, blocklist_config());
    e.queues[0].push(make(from4(net::ipv4(198, 51, 100, 77))));
    fw->step(64);
    CHECK(stat(*fw, "rule0_hits") == 0);
    CHECK(stat(*fw, "passed") == 1);
}

TEST_CASE("a reload brings the new set, the rule's counters carry over")
{
    const SetImage before = image("blocklist.txt", "198.51.100.0/24\n");
    const SetImage after = image("blocklist.txt", "203.0.113.0/24\n");
    FakeEnv e;
    e.env.data = before.data();
    auto c = blocklist_config();
    auto fw = make_fw(e, c);
    e.queues[0].push(make(from4(net::ipv4(198, 51, 100, 1))));
    fw->step(64);
    CHECK(stat(*fw, "rule0_hits") == 1);
    fw->reload(&c, after.data()); // same rule, refreshed list
    e.queues[0].push(make(from4(net::ipv4(203, 0, 113, 1))));
    fw->step(64);
    CHECK(stat(*fw, "rule0_hits") == 2); // newly listed: dropped, counted on top of the old hit
    CHECK(stat(*fw, "passed") == 0);
    e.queues[0].push(make(from4(net::ipv4(198, 51, 100, 1))));
    fw->step(64);
    CHECK(stat(*fw, "rule0_hits") == 2); // no longer listed: passed
    CHECK(stat(*fw, "passed") == 1);
}
