#include "tools/lib/service_config.h"

#include <cstring>
#include <random>

#include <fmt/format.h>

#include "model/service.h"
#include "tools/lib/prefix_set_files.h"
#include "tools/lib/schema_yaml.h"
#include "lib/input/yaml_file.h"

namespace offsched::tools {

const ServiceKind& service_by_name(const std::string& name, const InputLocation& where, const std::string& field)
{
    if (const ServiceKind* k = find_service(name.c_str())) return *k;
    std::string known;
    for (uint32_t i = 0; i < service_kind_count(); ++i)
        if (service_kind(i).create) known += (known.empty() ? "" : ", ") + std::string(service_kind(i).name);
    throw InputError(where, field, fmt::format("unknown service '{}'; available: {}", name, known));
}

std::vector<uint8_t> load_service_config(const ServiceKind& kind, const YAML::Node& map, const std::string& file,
                                         const std::string& prefix)
{
    std::vector<uint8_t> cfg(kind.config_size);
    kind.defaults(cfg.data());
    load_struct(kind.schema, map, cfg.data(), file, prefix);
    ConfigError err;
    if (!kind.validate(cfg.data(), &err)) throw_config_error(err, map, file, prefix);
    attach_prefix_sets(kind.schema, map, file, prefix, cfg);
    return cfg;
}

void throw_config_error(const ConfigError& err, const YAML::Node& map, const std::string& file, const std::string& prefix)
{
    // The service names the field; point at its YAML node when the file has it.
    std::string field = err.field ? err.field : "";
    if (const size_t at = field.find("[]"); at != std::string::npos) field.replace(at, 2, fmt::format("[{}]", err.index));
    const YAML::Node at = node_at_path(map, field);
    throw InputError(location_of(at, file), prefix.empty() ? field : prefix + "." + field,
                     err.message ? err.message : "rejected by the service");
}

std::vector<uint8_t> load_service_config_file(const ServiceKind& kind, const std::string& path)
{
    return load_service_config(kind, load_yaml_file(path), path, "");
}

std::vector<uint8_t> deploy_service_config(const ServiceKind& kind, const std::string& path)
{
    const YAML::Node map = path.empty() ? YAML::Node() : load_yaml_file(path);
    std::vector<uint8_t> cfg = path.empty() ? std::vector<uint8_t>(kind.config_size) : load_service_config(kind, map, path, "");
    if (path.empty()) kind.defaults(cfg.data());
    randomize_unset_fields(kind, map, cfg);
    return cfg;
}

void randomize_unset_fields(const ServiceKind& kind, const YAML::Node& map, std::vector<uint8_t>& cfg)
{
    std::random_device urandom; // /dev/urandom on Linux
    for (uint32_t i = 0; i < kind.schema.count; ++i) {
        const FieldDesc& f = kind.schema.fields[i];
        if (!(f.flags & kFieldRandomOnDeploy) || (map.IsMap() && map[f.name])) continue;
        const size_t n = f.type == FieldType::U64 ? 8 : 4;
        uint64_t v = (uint64_t{urandom()} << 32) | urandom();
        if (v < f.min || v > f.max) v = f.min + v % (f.max - f.min + 1); // stays in the schema's range
        std::memcpy(cfg.data() + f.offset, &v, n);
    }
}

bool load_service_config(const ServiceKind& kind, const YAML::Node& map, const std::string& file,
                         std::vector<uint8_t>* out, std::string* error)
{
    try {
        *out = load_service_config(kind, map, file, "");
        return true;
    } catch (const InputError& e) {
        *error = e.what();
        return false;
    }
}

} // namespace offsched::tools
