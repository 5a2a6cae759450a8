// A service's config from YAML: the service's documented defaults, then the YAML map through the
// service's schema, then the service's own validate() — the very checks the kernel module repeats.
// Used by offsched-sim (a design's `config:`) and offschedctl (`--config fw.yaml`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "services/registry.h"
#include "lib/input/input_error.h"

namespace offsched::tools {

// The service named `name`, or InputError at `where` listing the services that exist.
const ServiceKind& service_by_name(const std::string& name, const InputLocation& where, const std::string& field);

// A validate() failure as an InputError at the named field's node in `map` (the map's own line
// when the field is not in the file): "jobs[].budget_ns" with index 2 becomes jobs[2].budget_ns.
[[noreturn]] void throw_config_error(const ConfigError& err, const YAML::Node& map, const std::string& file,
                                     const std::string& prefix);

// Throws InputError naming file:line:column and the dotted field (prefix + the field).
std::vector<uint8_t> load_service_config(const ServiceKind& kind, const YAML::Node& map, const std::string& file,
                                         const std::string& prefix);

// Reads a whole YAML file as the service's config (an empty file gives the defaults).
std::vector<uint8_t> load_service_config_file(const ServiceKind& kind, const std::string& path);

// A config for a real machine (offschedctl): as load_service_config_file (path empty: the
// defaults), then every field marked kFieldRandomOnDeploy that the file does not set gets bytes
// from the OS's random source, so no two deployments share a cookie key by accident.
std::vector<uint8_t> deploy_service_config(const ServiceKind& kind, const std::string& path);
// The random half of that: fields marked kFieldRandomOnDeploy that `map` does not set get random
// bytes in cfg (a loaded config of `kind`).
void randomize_unset_fields(const ServiceKind& kind, const YAML::Node& map, std::vector<uint8_t>& cfg);

// Non-throwing form for callers that report errors their own way.
bool load_service_config(const ServiceKind& kind, const YAML::Node& map, const std::string& file,
                         std::vector<uint8_t>* out, std::string* error);

} // namespace offsched::tools
