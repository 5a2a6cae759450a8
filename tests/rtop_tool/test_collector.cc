// The collector (lib/rtop/collector.h) on datagrams built by the service's encoder:
// shares, sample assembly, sequence gaps, garbage of every kind, and the sample's age.
#include <catch2/catch.hpp>

#include <random>

#include "tests/rtop_tool/datagrams.h"
#include "lib/rtop/collector.h"

using namespace offsched;
using rtop_view::Collector;

namespace {
bool feed(Collector& c, const std::vector<uint8_t>& d, uint64_t now) { return c.feed(d.data(), d.size(), now); }
} // namespace

TEST_CASE("collector: two samples give each CPU's shares of the time between them")
{
    Collector c;
    std::vector<test::CpuTimes> t0{{1000, 1000, 0, 0, 1}, {0, 2000, 0, 0, 0}};
    std::vector<test::CpuTimes> t1{{1500, 1200, 100, 200, 3}, {0, 3000, 0, 0, 0}};
    REQUIRE(feed(c, test::rtop_datagram(1, 1, 2000, t0), 10));
    CHECK_FALSE(c.last().cpus[0].has_share); // nothing to compare with yet
    REQUIRE(feed(c, test::rtop_datagram(2, 2, 3000, t1), 20));
    const auto& s = c.last();
    REQUIRE(s.cpus.size() == 2);
    CHECK(s.cpus[0].has_share);
    CHECK(s.cpus[0].busy_ppm == 500000); // 500 of 1000 ns
    CHECK(s.cpus[0].idle_ppm == 200000);
    CHECK(s.cpus[0].irq_ppm == 100000);
    CHECK(s.cpus[0].softirq_ppm == 200000);
    CHECK(s.cpus[0].nr_running == 3);
    CHECK(s.cpus[1].idle_ppm == 1000000);
    CHECK(s.mem_total_kb == 16000000);
    CHECK(c.counters().samples == 2);
    CHECK(c.counters().max_gap_ns == 10);
    CHECK(rtop_view::ppm_as_percent(s.cpus[0].busy_ppm) == "50.0");
}

TEST_CASE("collector: a stale publisher shows as a growing age and CPUs whose counters do not move")
{
    Collector c;
    std::vector<test::CpuTimes> t{{600, 400, 0, 0}};
    // Fresh: the OS published at 1000 ns (busy + idle), the service sampled at 1000 ns.
    REQUIRE(feed(c, test::rtop_datagram(1, 1, 1000, t), 0));
    CHECK(c.last().age_ns == 0);
    // The publisher did not run again: same counters, the service's clock moved on.
    REQUIRE(feed(c, test::rtop_datagram(2, 2, 101000, t), 1));
    CHECK(c.last().age_ns == 100000);
    CHECK(c.last().unchanged_ns == 100000);
    CHECK_FALSE(c.last().cpus[0].has_share);
    REQUIRE(feed(c, test::rtop_datagram(3, 3, 151000, t), 1));
    CHECK(c.last().unchanged_ns == 150000);
    // It ran again: fresh again.
    REQUIRE(feed(c, test::rtop_datagram(4, 4, 201000, {{150600, 50400, 0, 0}}), 2));
    CHECK(c.last().age_ns == 0);
    CHECK(c.last().unchanged_ns == 0);
    CHECK(c.last().cpus[0].busy_ppm == 750000);
}

TEST_CASE("collector: accounting that loses time (QEMU TCG's lost ticks) drifts the age, not unchanged_ns")
{
    Collector c;
    // Every 100 ms of service time, the CPU's counters advance by only 50 ms.
    for (uint32_t i = 0; i < 5; ++i)
        REQUIRE(feed(c, test::rtop_datagram(i + 1, i + 1, 1000000000ull + i * 100000000ull, {{i * 25000000ull, i * 25000000ull, 0, 0}}), i));
    CHECK(c.last().age_ns == 200000000);
    CHECK(c.last().unchanged_ns == 0);
}

TEST_CASE("collector: sequence gaps count lost datagrams, repeats are out of order, not samples")
{
    Collector c;
    std::vector<test::CpuTimes> t{{1, 1, 0, 0}};
    feed(c, test::rtop_datagram(1, 1, 2, t), 0);
    feed(c, test::rtop_datagram(2, 2, 2, t), 0);
    feed(c, test::rtop_datagram(5, 5, 2, t), 0);
    feed(c, test::rtop_datagram(5, 5, 2, t), 0);
    feed(c, test::rtop_datagram(3, 3, 2, t), 0);
    CHECK(c.counters().lost == 2);
    CHECK(c.counters().out_of_order == 2);
    CHECK(c.counters().samples == 3);
    // A restarted sender starts again from 1: resynchronised, not thousands of late datagrams.
    feed(c, test::rtop_datagram(100000, 6, 2, t), 0);
    feed(c, test::rtop_datagram(1, 1, 2, t), 0);
    CHECK(c.counters().out_of_order == 2);
    CHECK(c.counters().samples == 5);
}

TEST_CASE("collector: a sample split over datagrams completes once all CPUs arrived")
{
    Collector c;
    std::vector<test::CpuTimes> t(40, {1, 1, 0, 0});
    CHECK_FALSE(feed(c, test::rtop_datagram(1, 1, 2, t, 0, 32), 0));
    CHECK(feed(c, test::rtop_datagram(2, 1, 2, t, 32), 0));
    CHECK(c.last().cpus.size() == 40);
    CHECK(c.last().cpus[39].cpu == 39);
    // The second half of sample 2 is lost: sample 3 starting abandons it.
    CHECK_FALSE(feed(c, test::rtop_datagram(3, 2, 2, t, 0, 32), 0));
    CHECK_FALSE(feed(c, test::rtop_datagram(5, 3, 2, t, 0, 32), 0));
    CHECK(feed(c, test::rtop_datagram(6, 3, 2, t, 32), 0));
    CHECK(c.counters().incomplete == 1);
    CHECK(c.counters().lost == 1);
    CHECK(c.counters().samples == 2);
}

TEST_CASE("collector: garbage is counted by cause and never becomes a sample")
{
    Collector c;
    std::vector<test::CpuTimes> t{{1, 1, 0, 0}};
    const auto good = test::rtop_datagram(1, 1, 2, t);
    auto truncated = good;
    truncated.resize(good.size() - 1);
    auto magic = good;
    magic[0] ^= 0xff;
    auto version = good;
    version[5] = 2; // version 2 is unknown to this decoder
    auto trailing = good;
    trailing.push_back(0);
    for (const auto* d : {&truncated, &magic, &version, &trailing}) CHECK_FALSE(feed(c, *d, 0));
    CHECK_FALSE(c.feed(nullptr, 0, 0));
    CHECK(c.counters().garbage == 5);
    CHECK(c.counters().garbage_by_cause[static_cast<size_t>(rtop::DecodeError::Truncated)] == 2);
    CHECK(c.counters().garbage_by_cause[static_cast<size_t>(rtop::DecodeError::BadMagic)] == 1);
    CHECK(c.counters().garbage_by_cause[static_cast<size_t>(rtop::DecodeError::BadVersion)] == 1);
    CHECK(c.counters().garbage_by_cause[static_cast<size_t>(rtop::DecodeError::TrailingBytes)] == 1);
    CHECK(c.counters().samples == 0);
    CHECK(c.counters_json()["garbage_by_cause"]["bad_version"] == 1);
    CHECK(feed(c, good, 0)); // still works afterwards
}

TEST_CASE("collector: random bytes, and valid headers with random bodies, are all counted, none crash")
{
    Collector c;
    std::mt19937 rng(7);
    const auto good = test::rtop_datagram(1, 1, 2, std::vector<test::CpuTimes>(3, {1, 1, 0, 0}));
    uint64_t fed = 0;
    for (int i = 0; i < 20000; ++i) {
        std::vector<uint8_t> d = good;
        if (i % 2) {
            d.resize(rng() % 1600);
            for (auto& b : d) b = static_cast<uint8_t>(rng());
        } else {
            for (int k = 0; k < 3; ++k) d[12 + rng() % (d.size() - 12)] = static_cast<uint8_t>(rng()); // after magic/version/lens
        }
        c.feed(d.data(), d.size(), static_cast<uint64_t>(i));
        ++fed;
    }
    const auto& k = c.counters();
    CHECK(k.datagrams == fed);
    CHECK(k.decoded + k.garbage == fed);
    CHECK(k.garbage >= 10000); // every random buffer fails the magic
}
