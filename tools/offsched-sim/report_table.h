// The side-by-side table offsched-sim prints: one column per design, rows a person reads at a
// glance (as xdp-tools/cyclictest do), and a closing verdict line answering "could the admin ssh
// in?".
#pragma once

#include <string>
#include <vector>

#include "backends/sim/run/result.h"
#include "backends/sim/run/scenario.h"
#include "tools/offsched-sim/sweep.h"

namespace offsched::tools {

std::string render_table(const sim::Scenario& s, const std::vector<sim::DesignResult>& results);

// For --sweep: per design, one row per swept value.
std::string render_sweep_table(const SweepGrid& grid, const std::vector<SweepPoint>& points);

} // namespace offsched::tools
