// Reading the hotplug model's YAML inputs (state tables, scenarios) with errors that name the
// file and line, as every input error must.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

namespace offsched::sim::hotplug {

// Parses `path`; on failure returns false with "path: cannot read WHAT" or "path:line: why".
bool load_yaml_file(const std::string& path, const char* what, YAML::Node* out, std::string* error);

// "file:line: field: what" for a node of that file.
std::string input_error(const std::string& file, const YAML::Node& n, const std::string& field,
                        const std::string& what);

} // namespace offsched::sim::hotplug
