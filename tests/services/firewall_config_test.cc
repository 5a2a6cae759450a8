// Firewall config: defaults are valid, every cross-field error names its field (and rule
// index), the schema covers the struct.
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <string>

#include "config_helpers.h"
#include "fakes.h"
#include "frames.h"
#include "services/firewall/firewall.h"

using namespace offsched;
using namespace offsched::test;

namespace {
Firewall::Config with_rules(u32 n)
{
    Firewall::Config c;
    Firewall::defaults(c);
    c.rule_count = n;
    return c;
}
} // namespace

TEST_CASE("defaults validate")
{
    Firewall::Config c;
    Firewall::defaults(c);
    CHECK(rejected_field<Firewall>(c) == "accepted");
}

TEST_CASE("validate names the offending field and rule index")
{
    u32 idx = 99;
    auto c = with_rules(3);
    c.rules[2].action = firewall::kRateLimit;
    c.rules[2].burst = 5;
    CHECK(rejected_field<Firewall>(c, &idx) == "rules[].rate_pps");
    CHECK(idx == 2);
    c.rules[2].rate_pps = 10;
    c.rules[2].burst = 0;
    CHECK(rejected_field<Firewall>(c, &idx) == "rules[].burst");

    c = with_rules(2);
    c.rules[1].dst_port_min = 90;
    c.rules[1].dst_port_max = 80;
    CHECK(rejected_field<Firewall>(c, &idx) == "rules[].dst_port_min");
    CHECK(idx == 1);

    c = with_rules(1);
    c.rules[0].src = ipv4_prefix(net::ipv4(10, 0, 0, 1), 8);
    CHECK(rejected_field<Firewall>(c) == "rules[].src");
    c.rules[0].src = ipv4_prefix(0, 33);
    CHECK(rejected_field<Firewall>(c) == "rules[].src");
    c.rules[0].src = ipv6_prefix(0x20010db800000000ull, 1, 64); // host bits in the low word
    CHECK(rejected_field<Firewall>(c) == "rules[].src");
    c.rules[0].src = ipv6_prefix(0x20010db800000001ull, 0, 32); // host bits in the high word
    CHECK(rejected_field<Firewall>(c) == "rules[].src");
    c.rules[0].src = ipv6_prefix(0, 0, 129);
    CHECK(rejected_field<Firewall>(c) == "rules[].src");
    c.rules[0].src = IpPrefix{5, 0, 0, 0, {0, 0}};
    CHECK(rejected_field<Firewall>(c) == "rules[].src");
    c.rules[0].src = ipv6_prefix(0x20010db800000000ull, 0, 32);
    CHECK(rejected_field<Firewall>(c) == "accepted");

    c = with_rules(1);
    c.rules[0].proto = firewall::kProtoUdp;
    c.rules[0].syn_only = true;
    CHECK(rejected_field<Firewall>(c) == "rules[].syn_only");

    c = with_rules(1);
    c.rules[0].proto = firewall::kProtoIcmp;
    c.rules[0].dst_port_max = 100;
    CHECK(rejected_field<Firewall>(c) == "rules[].dst_port_min");

    c = with_rules(1);
    c.rules[0].action = 7;
    CHECK(rejected_field<Firewall>(c) == "rules[].action");

    c = with_rules(17);
    CHECK(rejected_field<Firewall>(c) == "rules");

    c = with_rules(0);
    c.default_action = firewall::kRateLimit;
    CHECK(rejected_field<Firewall>(c) == "default_action");

    c = with_rules(0);
    c.syn_limit_pps = 0;
    CHECK(rejected_field<Firewall>(c) == "syn_limit_pps");
    c.syn_limit = false;
    CHECK(rejected_field<Firewall>(c) == "accepted"); // only required when the limit is on

    c = with_rules(0);
    c.syn_limit_burst = 0;
    CHECK(rejected_field<Firewall>(c) == "syn_limit_burst");

    c = with_rules(0);
    c.synproxy = true;
    c.synproxy_port_min = 2000;
    c.synproxy_port_max = 1000;
    CHECK(rejected_field<Firewall>(c) == "synproxy_port_min");

    c = with_rules(0);
    c.synproxy_port_max = 70000;
    CHECK(rejected_field<Firewall>(c) == "synproxy_port_max"); // schema range
}

TEST_CASE("schema declares every field with help and a default source")
{
    const Schema& s = Firewall::kSchema;
    REQUIRE(s.count == 22);
    for (u32 i = 0; i < s.count; ++i) {
        INFO(s.fields[i].name);
        CHECK(std::strlen(s.fields[i].help) > 0);
        CHECK(std::strlen(s.fields[i].source) > 0);
    }
    CHECK(std::string(s.fields[0].name) == "rules");
    CHECK(s.fields[0].elem_size == sizeof(firewall::Rule));
    CHECK(s.fields[0].max == firewall::kMaxRules);
}
