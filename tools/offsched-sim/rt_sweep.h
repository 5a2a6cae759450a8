// --sweep table for the timer and rt scenarios (timer_jitter.yaml, rt_deadlines.yaml): per
// design, one row per swept value with the firing error and the deadline misses, the figures
// those scenarios are about (the ssh columns are empty there).
#pragma once

#include <string>
#include <vector>

#include "tools/offsched-sim/sweep.h"

namespace offsched::tools {

bool is_timer_rt_sweep(const std::vector<SweepPoint>& points);
std::string render_timer_rt_sweep(const SweepGrid& grid, const std::vector<SweepPoint>& points);

} // namespace offsched::tools
