// Reading YAML files so that syntax errors and unreadable files become InputErrors with
// file:line:column, like every other input error.
#pragma once

#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "lib/input/input_error.h"

namespace offsched::tools {

// Where a node is: file, and its 1-based line and column (0 when the node has no mark).
InputLocation location_of(const YAML::Node& node, const std::string& file);

YAML::Node load_yaml_file(const std::string& path);

// The same for text already read: `name` stands for the file in errors. The text must have
// passed check_input_text (load_yaml_file's read does that).
YAML::Node parse_yaml_text(const std::string& text, const std::string& name);

// The node at a dotted path below `root` ("rules[2].action"); the deepest existing node on the
// way when the full path does not exist (so errors still point close to the cause).
YAML::Node node_at_path(const YAML::Node& root, std::string_view path);

} // namespace offsched::tools
