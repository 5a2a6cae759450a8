// `--sweep section.field=from:to:steps`: runs the scenario once per value of one parameter (the
// same seed each time, so the points differ only by that parameter) and tabulates the curve.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backends/sim/result.h"
#include "backends/sim/scenario.h"

namespace offsched::tools {

struct SweepSpec {
    std::string key;       // "flood.rate_pps"
    std::vector<std::string> values; // the values, as text in the parameter's own unit
};

// Parses "flood.rate_pps=0:20M:21" (linear, inclusive of both ends) or
// "flood.rate_pps=10k:10M:7:log" (geometric). Values are exact integers. Throws InputError.
SweepSpec parse_sweep(const std::string& text);

struct SweepPoint {
    std::string value;
    std::vector<sim::DesignResult> results; // one per design
};

// One CSV row per (value, design): the swept value, the design, then every integer field of the
// result in JSON order. Deterministic.
std::string sweep_csv(const SweepSpec& spec, const std::vector<SweepPoint>& points);

} // namespace offsched::tools
