#include <catch2/catch.hpp>

#include "tools/lib/quantity.h"

using offsched::tools::parse_quantity;

namespace {
uint64_t ok(std::string_view text, std::string_view unit)
{
    std::string why;
    const auto v = parse_quantity(text, unit, &why);
    INFO(text << ": " << why);
    REQUIRE(v);
    return *v;
}
std::string fails(std::string_view text, std::string_view unit)
{
    std::string why;
    REQUIRE_FALSE(parse_quantity(text, unit, &why));
    return why;
}
} // namespace

TEST_CASE("quantities with time suffixes are exact nanoseconds")
{
    CHECK(ok("250", "ns") == 250);
    CHECK(ok("1.5us", "ns") == 1500);
    CHECK(ok("200ms", "ns") == 200000000);
    CHECK(ok("2s", "ns") == 2000000000);
    CHECK(ok("0.000000001s", "ns") == 1);
}

TEST_CASE("SI multipliers scale decimals with integer arithmetic")
{
    CHECK(ok("14.88M", "pps") == 14880000); // a float would give 14879999.999...
    CHECK(ok("10k", "pps") == 10000);
    CHECK(ok("3G", "cycles") == 3000000000);
    CHECK(ok("0", "") == 0);
}

TEST_CASE("quantities that are not whole units or not numbers are rejected with a reason")
{
    CHECK_THAT(fails("1.5", "pps"), Catch::Contains("not a whole number"));
    CHECK_THAT(fails("0.5ns", "ns"), Catch::Contains("not a whole number"));
    CHECK_THAT(fails("5min", "ns"), Catch::Contains("unknown time suffix"));
    CHECK_THAT(fails("5ms", "pps"), Catch::Contains("unknown suffix"));
    CHECK_THAT(fails("-1", "pps"), Catch::Contains("non-negative number"));
    CHECK_THAT(fails("abc", ""), Catch::Contains("non-negative number"));
    CHECK_THAT(fails("", ""), Catch::Contains("non-negative number"));
    CHECK_THAT(fails("99999999999999999999", ""), Catch::Contains("too large"));
    CHECK_THAT(fails("20000000000G", ""), Catch::Contains("too large"));
}
