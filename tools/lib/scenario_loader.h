// Reads a scenario file into a sim::Scenario: top-level parameter sections, then each design's
// own overrides, then `--set` on top of everything; finally checks what only makes sense as a
// whole (core numbers against machine.cores, a service for every offsched design...).
// Every error is an InputError naming file:line:column and the field.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "backends/sim/run/scenario.h"
#include "lib/input/input_error.h"

namespace offsched::tools {

struct ParamOverride {
    std::string key;   // "flood.rate_pps"
    std::string value; // "2M"
};

// Parses "section.field=value" as given to --set. Throws InputError.
ParamOverride parse_override(const std::string& text);

sim::Scenario load_scenario(const std::string& path, const std::vector<ParamOverride>& overrides = {});
// The same from a parsed document (load_yaml_file/parse_yaml_text); `path` names it in errors.
sim::Scenario scenario_from_yaml(const YAML::Node& root, const std::string& path,
                                 const std::vector<ParamOverride>& overrides = {});

// Applies one override to every design of an already loaded scenario (sweeps use this).
void apply_override(sim::Scenario& s, const ParamOverride& o);
// After apply_override: what load_scenario checks of each design as a whole (its cores, its
// parameters together). Throws InputError at the command line, `what` saying which point.
void check_overridden(const sim::Scenario& s, const std::string& what);

// Everything that was resolved: per design, every parameter with its final value.
nlohmann::ordered_json scenario_to_json(const sim::Scenario& s);
nlohmann::ordered_json params_to_json(const sim::SimParams& p);

} // namespace offsched::tools
