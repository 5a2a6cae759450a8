#include <catch2/catch.hpp>

#include "tools/lib/ipv4_text.h"

using namespace offsched::tools;

TEST_CASE("IPv4 addresses parse strictly")
{
    CHECK(parse_ipv4("192.0.2.1") == 0xc0000201u);
    CHECK(parse_ipv4("0.0.0.0") == 0u);
    CHECK(parse_ipv4("255.255.255.255") == 0xffffffffu);
    for (const char* bad : {"256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "a.b.c.d", "1.2.3.4 ", "", "0001.2.3.4"})
        CHECK_FALSE(parse_ipv4(bad));
    CHECK(format_ipv4(0xc0000201u) == "192.0.2.1");
}

TEST_CASE("CIDR prefixes refuse host bits instead of masking them silently")
{
    std::string why;
    const auto c = parse_cidr("10.0.0.0/8", &why);
    REQUIRE(c);
    CHECK(c->addr == 0x0a000000u);
    CHECK(c->prefix_len == 8);
    CHECK(parse_cidr("192.0.2.7", &why)->prefix_len == 32);
    CHECK(parse_cidr("0.0.0.0/0", &why)->prefix_len == 0);
    CHECK_FALSE(parse_cidr("10.0.0.1/8", &why));
    CHECK_THAT(why, Catch::Contains("did you mean 10.0.0.0/8"));
    CHECK_FALSE(parse_cidr("10.0.0.0/33", &why));
    CHECK_FALSE(parse_cidr("10.0.0.0/", &why));
    CHECK(format_cidr({0x0a000000u, 8}) == "10.0.0.0/8");
}
