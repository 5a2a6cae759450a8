// Reading the hotplug model's YAML inputs (state tables, scenarios) through the loader every
// other input uses (lib/input), as error strings: this model reports errors by value.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

namespace offsched::sim::hotplug {

// Parses `path`; on failure returns false with the InputError's text ("path:line:column: why").
bool load_yaml_file(const std::string& path, YAML::Node* out, std::string* error);

// "file:line:column: field 'field': what" for a node of that file.
std::string input_error(const std::string& file, const YAML::Node& n, const std::string& field,
                        const std::string& what);

} // namespace offsched::sim::hotplug
