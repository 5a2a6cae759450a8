// Renders module status and counters: aligned tables for people, JSON for scripts.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "tools/offschedctl/sysfs_status.h"

namespace offsched::ctl {

// What the dead CPU really does: its clock against the TSC (APERF/MPERF, where the CPU has them)
// and the longest time nobody polled, with a verdict when either is off, e.g.
// "clock 1200 of 3000 MHz (40 %, lowest 1100): throttled or in a low P-state; longest poll gap 12 us".
std::string loop_health(const CpuStatus& c);

std::string status_table(const ModuleStatus& st);
nlohmann::ordered_json status_json(const ModuleStatus& st);

// One table per attached CPU: counter, value and, given an earlier sample `prev` taken
// `interval_ms` before (0: none), the rate per second.
std::string stats_table(const ModuleStatus& now, const ModuleStatus* prev, uint64_t interval_ms);
nlohmann::ordered_json stats_json(const ModuleStatus& st);

} // namespace offsched::ctl
