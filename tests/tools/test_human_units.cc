#include <catch2/catch.hpp>

#include "tools/lib/human_units.h"

using namespace offsched::tools;

TEST_CASE("times pick a readable unit and round half up")
{
    CHECK(format_ns(850) == "850 ns");
    CHECK(format_ns(12345) == "12.3 us");
    CHECK(format_ns(123456) == "123 us");
    CHECK(format_ns(1250000) == "1.25 ms");
    CHECK(format_ns(3000000000ull) == "3.00 s");
    CHECK(format_ns(999999999) == "1000.00 ms");
}

TEST_CASE("ratios, rates and counts")
{
    CHECK(format_ppm_percent(997500) == "99.75 %");
    CHECK(format_ppm_percent(1000000) == "100.00 %");
    CHECK(format_ppm_percent(0) == "0.00 %");
    CHECK(format_rate(14880000, "pps") == "14.88 Mpps");
    CHECK(format_rate(950000, "pps") == "950.0 kpps");
    CHECK(format_rate(200, "pps") == "200 pps");
    CHECK(format_bits(9410000000ull) == "9.41 Gbit/s");
    CHECK(format_count(1234567) == "1,234,567");
    CHECK(format_count(12) == "12");
}
