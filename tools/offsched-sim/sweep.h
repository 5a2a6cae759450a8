// `--sweep section.field=from:to:steps[:log]`, repeatable: the scenario runs once per point of
// the grid the axes span (their cross product, the first axis outermost) and, with `--seeds N`,
// N times per point with the seeds base, base+1, ... so the spread across seeds can be shown.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backends/sim/run/result.h"
#include "backends/sim/run/scenario.h"

namespace offsched::tools {

struct SweepAxis {
    std::string key;                 // "flood.rate_pps"
    std::vector<std::string> values; // exact integers, as text in the parameter's own unit
    bool log = false;                // geometric spacing (plots draw it on a log axis)
};

struct SweepGrid {
    std::vector<SweepAxis> axes;
    uint64_t base_seed = 0;
    uint64_t seeds = 1; // repetitions per coordinate

    size_t coordinate_count() const;                      // product of the axes' sizes
    size_t point_count() const { return coordinate_count() * seeds; }
    std::vector<std::string> coordinates(size_t c) const; // one value per axis, first axis outermost
};

// Parses "flood.rate_pps=0:20M:21" (linear, inclusive of both ends) or
// "flood.rate_pps=10k:10M:7:log" (geometric). Values are exact integers. Throws InputError.
SweepAxis parse_sweep_axis(const std::string& text);
// All axes; the same key twice is an error. Throws InputError.
SweepGrid parse_sweep_grid(const std::vector<std::string>& axes, uint64_t base_seed, uint64_t seeds);

// One finished point: its coordinates (one per axis), its seed, one result per design.
struct SweepPoint {
    std::vector<std::string> coords;
    uint64_t seed = 0;
    std::vector<sim::DesignResult> results;
};

// The scenario of one point: every axis value applied to every design, and the seed. Checked as
// load_scenario checks a file (InputError naming the point).
sim::Scenario point_scenario(const sim::Scenario& base, const SweepGrid& grid, const std::vector<std::string>& coords, uint64_t seed);

// "rate_pps" or "rate_pps/cores": the column heading over point_label().
std::string axes_heading(const SweepGrid& grid);
// "1,000,000" or "1,000,000/4": a point's coordinates, short.
std::string coords_label(const std::vector<std::string>& coords);
// The width of the coordinates column: the heading's and every label's, at least 16.
size_t label_width(const SweepGrid& grid, const std::vector<SweepPoint>& points);
// "flood.rate_pps=1000000 machine.cores=4": a point's coordinates in full.
std::string coords_text(const SweepGrid& grid, const std::vector<std::string>& coords);

// One CSV row per (point, seed, design): the axes' values, the seed, the design, then every
// integer field of the result in JSON order. Deterministic.
std::string sweep_csv(const SweepGrid& grid, const std::vector<SweepPoint>& points);

} // namespace offsched::tools
