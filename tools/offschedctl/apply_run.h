// Carries out an apply plan through the module, one CPU at a time, saying what happened to each;
// records the config each CPU was given under state_dir (cpuN files, as applied_record) so the
// next apply knows what is unchanged. A failure on one CPU does not stop the others.
#pragma once

#include <string>
#include <vector>

#include "tools/offschedctl/apply_plan.h"

namespace offsched::ctl {

constexpr const char* kDefaultStateDir = "/run/offsched";

std::map<uint32_t, std::string> read_applied(const std::string& state_dir);

// Returns how many CPUs failed.
int run_apply(const std::vector<Action>& plan, const std::string& state_dir);

} // namespace offsched::ctl
