// A hotplug scenario file (scenarios/hotplug.yaml): which kernel's state table, how many CPUs,
// optional offsched service CPU, and the offline/online operations to explain.
//
//   name: hotplug
//   hotplug:
//     kernel: linux-6.1          # data/cpuhp/linux-6.1.yaml (or a path)
//     cpus: 4
//     offsched: {cpu: 2, service: firewall, cooperative_stop: true}   # optional
//     ops:
//       - offline: 1
//       - online: 1
//       - {offline: 1, fail_at: 197}       # like echo 197 > cpu1/hotplug/fail
//       - {online: 3, error_at: 200, error_ret: -16}
#pragma once

#include <string>

#include "backends/sim/hotplug/cpuhp_table.h"
#include "backends/sim/hotplug/hotplug_engine.h"

namespace offsched::sim::hotplug {

struct HotplugScenario {
    std::string name;
    std::string description;
    CpuhpTable table;
    HotplugRun run;
};

// True if the YAML file has a top-level `hotplug:` key (how the CLI tells it apart).
bool is_hotplug_scenario(const std::string& path);

// Loads the scenario and the state table it names; errors name file, line and field.
bool load_hotplug_scenario(const std::string& path, HotplugScenario* out, std::string* error);

} // namespace offsched::sim::hotplug
