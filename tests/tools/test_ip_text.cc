#include <catch2/catch.hpp>

#include "lib/ip_text/ip_text.h"

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

TEST_CASE("IP prefixes: IPv4, IPv6 or any, host bits refused in either family")
{
    std::string why;
    const auto v4 = parse_prefix("10.0.0.0/8", &why);
    REQUIRE(v4);
    CHECK(v4->family == 4);
    CHECK(v4->v4 == 0x0a000000u);
    CHECK(format_prefix(*v4) == "10.0.0.0/8");

    const auto v6 = parse_prefix("2001:db8:0:abcd:8000::/65", &why);
    REQUIRE(v6);
    CHECK(v6->family == 6);
    CHECK(v6->prefix_len == 65);
    CHECK(v6->v6[0] == 0x20010db80000abcdull);
    CHECK(v6->v6[1] == 0x8000000000000000ull);
    CHECK(format_prefix(*v6) == "2001:db8:0:abcd:8000::/65");
    CHECK(parse_prefix("::1", &why)->prefix_len == 128);
    CHECK(format_prefix(*parse_prefix("::/0", &why)) == "::/0");

    const auto any = parse_prefix("any", &why);
    REQUIRE(any);
    CHECK(any->family == 0);
    CHECK(format_prefix(*any) == "any");

    CHECK_FALSE(parse_prefix("2001:db8::1/32", &why));
    CHECK_THAT(why, Catch::Contains("did you mean 2001:db8::/32"));
    CHECK_FALSE(parse_prefix("2001:db8:0:abcd:c000::/65", &why)); // a host bit in the low half
    CHECK_THAT(why, Catch::Contains("did you mean 2001:db8:0:abcd:8000::/65"));
    CHECK_FALSE(parse_prefix("2001:db8::/129", &why));
    CHECK_THAT(why, Catch::Contains("0 to 128"));
    CHECK_FALSE(parse_prefix("2001:db8:::/32", &why));
    CHECK_THAT(why, Catch::Contains("IPv6 prefix"));
    CHECK_FALSE(parse_prefix("10.0.0.1/8", &why));
    CHECK_THAT(why, Catch::Contains("did you mean 10.0.0.0/8"));
    CHECK_FALSE(parse_prefix("everything", &why));
    CHECK_THAT(why, Catch::Contains("or 'any'"));
    for (const char* text : {"any", "10.0.0.0/8", "2001:db8::/32", "::/0", "0.0.0.0/0", "fe80::1/128"}) {
        const auto p = parse_prefix(text, &why);
        REQUIRE(p);
        CHECK(prefix_valid(*p));
    }
}
