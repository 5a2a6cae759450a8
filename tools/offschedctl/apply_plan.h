// What `offschedctl apply` does to bring the machine to its file: per CPU, attach what is missing,
// reload what changed, replace a CPU running another service, detach what the file no longer
// names, keep the rest. A pure function of the wanted state, the module's status and what earlier
// applies recorded (the config each CPU was given), so it is tested without a module.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tools/offschedctl/machine_file.h"
#include "tools/offschedctl/sysfs_status.h"

namespace offsched::ctl {

enum class Step { Keep, Attach, Reload, Replace, Detach };

struct Action {
    Step step = Step::Keep;
    uint32_t cpu = 0;
    const WantedCpu* want = nullptr; // null for Detach
    std::string running;             // the service running there now ("" when none)
};

// What an apply records for a CPU it gave a config: the service and the loaded config (random
// fields the file leaves unset are not in it, so an unchanged file compares equal).
std::string applied_record(const WantedCpu& w);

// applied: CPU -> applied_record of the last successful apply there. In the order to run them:
// detaches, then replacements, then the rest, each by CPU.
std::vector<Action> plan_apply(const std::vector<WantedCpu>& want, const ModuleStatus& now,
                               const std::map<uint32_t, std::string>& applied);

} // namespace offsched::ctl
