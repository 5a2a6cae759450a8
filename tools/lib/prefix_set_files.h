// The prefix files a service config names (FieldType::PrefixSet fields): read, compiled
// (lib/prefix_set) and appended to the config as its data image, the config blob backends take
// (model/service.h). Errors name the prefix file's line, or the config's field for a file that
// cannot be read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "model/schema.h"

namespace offsched::tools {

// A prefix file may be far larger than a config: 1,000,000 IPv6 ranges of two full addresses.
constexpr size_t kMaxPrefixFileBytes = 128u << 20;

// Compiles every set `cfg` (config_size bytes of a config of `schema`, loaded from `map` in
// `file`) names and appends the image; no set named: cfg stays as it is. A path is relative to
// the config file's directory. Throws InputError.
void attach_prefix_sets(const Schema& schema, const YAML::Node& map, const std::string& file, const std::string& prefix,
                        std::vector<uint8_t>& cfg);

// One line per set in a blob's image: entries by family and bytes, for the tools to report at
// load ("prefix set 'bogons.txt': 1,000,000 entries (1,000,000 IPv4, 0 IPv6), 16.3 MB").
std::vector<std::string> describe_prefix_sets(uint32_t config_size, const std::vector<uint8_t>& blob);

} // namespace offsched::tools
