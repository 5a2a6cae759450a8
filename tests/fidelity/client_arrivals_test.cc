// legit.arrivals on the real model: how many connection attempts a run counts, by process.
// syn_flood.yaml counts attempts started in [0.5 s, 1 s) (warm-up to run end minus the clients'
// 3 s patience) at 1,000 connections per second.
#include <catch2/catch.hpp>

#include <string>

#include "tests/fidelity/sweep_curves.h"

using namespace offsched::fidelity;

namespace {
uint64_t attempts(const std::string& process)
{
    return run_scenario("syn_flood.yaml", {"flood.rate_pps=0", "legit.arrivals=" + process}, "baseline").front().legit_attempts;
}
} // namespace

TEST_CASE("client arrivals: constant counts the rate exactly, poisson varies around it, on_off counts whole bursts")
{
    CHECK(attempts("constant") == 500);
    const uint64_t poisson = attempts("poisson");
    CHECK(poisson != 500);                     // random gaps, seed 1
    CHECK(poisson >= 410);                     // within 4 standard deviations (sqrt 500 = 22)
    CHECK(poisson <= 590);
    const uint64_t bursts = attempts("on_off"); // legit.burst_connections = 8 at once, every 8 ms
    CHECK(bursts % 8 == 0);
    CHECK(bursts >= 480);
    CHECK(bursts <= 520);
}
