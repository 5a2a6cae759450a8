// With --seeds N, each point of a sweep ran N times on different traffic: the table and the plot
// show, per point and design, the mean of each headline figure with its spread across seeds
// (min, max) and a 95 % confidence interval for the mean (Student's t, N-1 degrees of freedom).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tools/offsched-sim/sweep.h"

namespace offsched::tools {

struct Spread {
    size_t n = 0; // seeds that had a value (a latency needs at least one connection)
    double mean = 0, min = 0, max = 0;
    double half_interval = 0; // the 95 % interval is mean +- this (0 with one value)
};
Spread spread(const std::vector<double>& values);

// A figure the summary shows: its column heading, how to read it off a result (nothing when the
// result has none), and how to print a value of it.
struct SweepMetric {
    std::string heading;
    std::function<std::optional<double>(const sim::DesignResult&)> value;
    std::function<std::string(double)> format;
};
// The headline figures of what the sweep's scenario measures (ssh success and latency; timer
// error; deadline misses; packets delivered).
std::vector<SweepMetric> sweep_metrics(const std::vector<SweepPoint>& points);

// Points grouped by coordinates (the seeds of one coordinate are adjacent, in seed order).
std::vector<std::vector<const SweepPoint*>> by_coordinates(const std::vector<SweepPoint>& points);

// Per design, one row per coordinate: "mean +-interval [min, max]" for each metric.
std::string render_seed_summary(const SweepGrid& grid, const std::vector<SweepPoint>& points);

} // namespace offsched::tools
