// Properties a systems researcher takes for granted, checked across parameters rather than at the
// shipped points (issue 16; docs/VALIDATION.md lists them with the sweep behind each). Short
// sweeps of the real model; a tolerance of a few points covers seed noise, not a trend.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "tests/fidelity/sweep_curves.h"

using namespace offsched::fidelity;

namespace {

double success(const offsched::sim::DesignResult& r) { return r.legit_success_ppm / 10000.0; }

double stock_success(const std::vector<std::string>& sets) { return success(run_scenario("syn_flood.yaml", sets, "baseline").front()); }

// Largest input rate (within 1 %) at which livelock.yaml's napi design loses nothing: the reader
// finishes at least 99 % of what arrives.
uint64_t loss_free_rate(const std::vector<std::string>& extra)
{
    uint64_t lo = 10000, hi = 4000000; // lo is loss-free, hi is not (checked below)
    const auto loss_free = [&](uint64_t rate) {
        std::vector<std::string> sets{fmt::format("background.rate_pps={}", rate)};
        sets.insert(sets.end(), extra.begin(), extra.end());
        return run_scenario("livelock.yaml", sets, "napi").front().app_output_pps * 100 >= rate * 99;
    };
    REQUIRE(loss_free(lo));
    REQUIRE(!loss_free(hi));
    while (hi - lo > lo / 100) {
        const uint64_t mid = lo + (hi - lo) / 2;
        (loss_free(mid) ? lo : hi) = mid;
    }
    return lo;
}

} // namespace

TEST_CASE("properties: with no flood every design serves about every connection")
{
    for (const char* file : {"syn_flood.yaml", "web_flood.yaml", "bottom_halves.yaml"}) {
        for (const auto& r : run_scenario(file, {"flood.rate_pps=0"})) {
            INFO(file << " design " << r.design);
            REQUIRE(r.legit_attempts > 0);
            CHECK(success(r) >= 99.0);
        }
    }
}

TEST_CASE("properties: more flood never makes the stock host serve ssh better")
{
    double prev = 100.0;
    for (uint64_t rate : {1000000, 3000000, 4000000, 5000000, 7000000, 9000000, 11000000, 14880000}) {
        const double s = stock_success({fmt::format("flood.rate_pps={}", rate)});
        INFO("flood.rate_pps " << rate << ": " << s << " %, the lower rate " << prev << " %");
        CHECK(s <= prev + 5.0);
        prev = s;
    }
    CHECK(prev < 50.0); // and the sweep reaches the collapse it is about
}

TEST_CASE("properties: more cores or a faster clock never make the stock host worse")
{
    double prev = 0;
    for (const char* cores : {"4", "6", "8"}) {
        const double s = stock_success({"flood.rate_pps=6000000", std::string("machine.cores=") + cores, std::string("nic.queues=") + cores});
        INFO(cores << " cores: " << s << " %, fewer " << prev << " %");
        CHECK(s + 3.0 >= prev);
        prev = s;
    }
    prev = 0;
    for (const char* mhz : {"2000", "3000", "4000"}) {
        const double s = stock_success({"flood.rate_pps=5000000", std::string("machine.freq_mhz=") + mhz});
        INFO(mhz << " MHz: " << s << " %, slower " << prev << " %");
        CHECK(s + 3.0 >= prev);
        prev = s;
    }
    CHECK(prev >= 99.0); // the sweeps span the range where it matters
}

TEST_CASE("properties: doubling the per-packet costs halves the loss-free rate")
{
    const uint64_t base = loss_free_rate({});
    const uint64_t doubled = loss_free_rate({"os.rx_packet_cycles=1200", "os.netfilter_cycles=300", "os.established_cycles=3000",
                                             "os.app_packet_cycles=6000"});
    INFO("loss-free rate " << base << " pps, with every per-packet cost doubled " << doubled << " pps");
    CHECK(doubled * 17 <= base * 10); // ratio at least 1.7...
    CHECK(doubled * 23 >= base * 10); // ...and at most 2.3
}
