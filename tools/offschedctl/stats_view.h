// Renders module status and counters: aligned tables for people, JSON for scripts.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "tools/offschedctl/sysfs_status.h"

namespace offsched::ctl {

std::string status_table(const ModuleStatus& st);
nlohmann::ordered_json status_json(const ModuleStatus& st);

// One table per attached CPU: counter, value and, given an earlier sample `prev` taken
// `interval_ms` before (0: none), the rate per second.
std::string stats_table(const ModuleStatus& now, const ModuleStatus* prev, uint64_t interval_ms);
nlohmann::ordered_json stats_json(const ModuleStatus& st);

} // namespace offsched::ctl
