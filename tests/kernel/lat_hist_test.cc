// The latency histogram the module (timer completions) and offsched-cyclic share: every value
// lands in the bucket whose bounds hold it, bounds stay within 1/32 of the value, and
// percentiles follow the nearest-rank rule.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <memory>

#include "backends/kernel/uapi/offsched_lat.h"

TEST_CASE("bucket bounds hold the value and are within 1/32 of it")
{
    for (unsigned long long v : {0ull, 1ull, 63ull, 64ull, 65ull, 100ull, 1000ull, 65535ull, 65536ull,
                                 123456789ull, (1ull << 40) - 1}) {
        INFO(v);
        const unsigned int b = osk_lat_bucket(v);
        REQUIRE(b < OSK_LAT_BUCKETS);
        CHECK(osk_lat_bucket_low(b) <= v);
        CHECK(v - osk_lat_bucket_low(b) <= v / 32);
        if (b + 1 < OSK_LAT_BUCKETS) CHECK(osk_lat_bucket_low(b + 1) > v);
    }
    CHECK(osk_lat_bucket(1ull << 50) == OSK_LAT_BUCKETS - 1);
}

TEST_CASE("bucket lower bounds increase strictly")
{
    for (unsigned int i = 1; i < OSK_LAT_BUCKETS; ++i) {
        INFO(i);
        REQUIRE(osk_lat_bucket_low(i) > osk_lat_bucket_low(i - 1));
        REQUIRE(osk_lat_bucket(osk_lat_bucket_low(i)) == i);
    }
}

TEST_CASE("percentiles: nearest rank, bucket lower bound, exact maximum")
{
    auto h = std::make_unique<osk_lat_hist>();
    CHECK(osk_lat_percentile(h.get(), 500) == 0);
    for (unsigned long long v = 1; v <= 1000; ++v) osk_lat_record(h.get(), v * 1000); // 1..1000 us
    CHECK(h->count == 1000);
    CHECK(h->max_ns == 1000000);
    const unsigned long long p50 = osk_lat_percentile(h.get(), 500);
    CHECK(p50 <= 500000);
    CHECK(p50 >= 500000 - 500000 / 32);
    const unsigned long long p99 = osk_lat_percentile(h.get(), 990);
    CHECK(p99 <= 990000);
    CHECK(p99 >= 990000 - 990000 / 32);
    CHECK(osk_lat_percentile(h.get(), 1000) <= 1000000);
    osk_lat_record(h.get(), 5); // a lone small value moves nothing above the median
    CHECK(osk_lat_percentile(h.get(), 500) == p50);
}
