// A scenario's results for a test: a simulation that fails fails the test with its error
// (reported after the run, when the error is known).
#pragma once

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "backends/sim/run/simulate.h"

namespace offsched::sim {

inline std::vector<DesignResult> simulate_checked(const Scenario& s)
{
    std::vector<DesignResult> out;
    std::string error;
    const bool ok = simulate(s, &out, &error);
    INFO(error);
    REQUIRE(ok);
    return out;
}

} // namespace offsched::sim
