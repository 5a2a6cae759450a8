// Output-versus-input curves of a shipped scenario, computed by running the real model once per
// input value (the scenario file loaded with that value as an override), and the shape measures
// the receive-livelock papers describe: rise, peak, collapse, flatness.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "backends/sim/run/result.h"

namespace offsched::fidelity {

// Runs scenarios/<file> with `sets` ("section.field=value", as --set), only `design` if named.
std::vector<sim::DesignResult> run_scenario(const std::string& file, const std::vector<std::string>& sets,
                                            const std::string& design = "");

struct Curve {
    std::vector<uint64_t> input;  // the swept parameter's values
    std::vector<uint64_t> output; // the result field at each value
    std::vector<uint64_t> lost;   // socket-queue drops at each value (work done for nothing)
    std::vector<uint64_t> transactions; // legit_per_s at each value (closed-loop clients' rate)
};

// Runs scenarios/<file> once per value of `key`, returns one curve per design.
std::map<std::string, Curve> sweep(const std::string& file, const std::string& key, const std::vector<uint64_t>& values,
                                   const std::vector<std::string>& extra_sets = {});

// Index of the largest output (the first one on ties).
size_t peak_index(const Curve& c);
// True if output increases strictly over points [0, end).
bool rises_until(const Curve& c, size_t end);
// Smallest output at any point after index i, in parts per million of the value at i.
uint64_t min_after_ppm(const Curve& c, size_t i);
// A table of every curve's `field` (for INFO messages and docs/VALIDATION.md).
std::string table(const std::string& key, const std::map<std::string, Curve>& curves,
                  std::vector<uint64_t> Curve::*field = &Curve::output);

} // namespace offsched::fidelity
