// `offsched-sim scenarios/hotplug.yaml --explain`: a step-by-step account of each CPU offline /
// online - every cpuhp_enter/cpuhp_multi_enter/cpuhp_exit event in the kernel's own format, on
// which CPU and task, at which simulated time, each followed by a plain-English "why" line.
#pragma once

#include <ostream>
#include <string>

#include "backends/sim/hotplug/hotplug_engine.h"
#include "backends/sim/hotplug/hotplug_scenario.h"

namespace offsched::sim::hotplug {

struct ExplainOptions {
    bool why = true;   // plain-English lines under events
    bool notes = true; // machinery between callbacks (stop_machine, INIT/SIPI, migrations)
};

void print_explain(const HotplugScenario& s, const HotplugResult& r, std::ostream& out,
                   const ExplainOptions& opt = {});

// Loads the scenario file, runs the model and prints the explanation. Returns false with
// *error (file:line: field: what) on bad input; nothing is printed then.
bool explain_hotplug_file(const std::string& scenario_path, std::ostream& out, std::string* error,
                          const ExplainOptions& opt = {});

} // namespace offsched::sim::hotplug
