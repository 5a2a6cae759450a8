// Maps YAML onto any struct described by a model/schema.h Schema, and back to JSON.
// One implementation serves simulation parameters, service configs and `--set key=value`, so
// every input error reads the same: file:line:column, the dotted field, and what was expected.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "model/schema.h"
#include "lib/input/input_error.h"
#include "lib/input/yaml_file.h"

namespace offsched::tools {


// Loads a YAML map onto `out` (which already holds defaults: absent keys keep them).
// Unknown or duplicate keys, wrong types and out-of-range values throw InputError; `prefix` is
// the dotted path of the map itself ("nic", "designs[1].config"), used in error messages.
void load_struct(const Schema& schema, const YAML::Node& map, void* out, const std::string& file,
                 const std::string& prefix);

// Sets one scalar field by name from text, as `--set` does. Throws InputError at `where`.
void set_field_text(const Schema& schema, void* out, std::string_view name, std::string_view text,
                    const InputLocation& where, const std::string& full_name);

const FieldDesc* find_field(const Schema& schema, std::string_view name);

nlohmann::ordered_json struct_to_json(const Schema& schema, const void* in);

// "a, b or c": the names a map accepts, for "unknown key" errors.
std::string field_names(const Schema& schema);

} // namespace offsched::tools
