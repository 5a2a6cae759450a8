#include "tools/lib/prefix_set_files.h"

#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "lib/input/input_file.h"
#include "lib/input/yaml_file.h"
#include "lib/prefix_set/compile.h"
#include "model/service.h"
#include "tools/lib/human_units.h"
#include "tools/lib/schema_yaml.h"

namespace offsched::tools {

namespace {

struct Named {
    std::string name;  // as the config writes it
    std::string field; // where first named: "rules[2].src_set"
};

// Every set the config names, in schema order (schema_visit_prefix_sets).
std::vector<Named> named_sets(const Schema& s, const void* config)
{
    std::vector<Named> out;
    auto add = [](void* ctx, const FieldDesc* list, u32 index, const FieldDesc& f, const char* name) {
        const std::string field = list ? fmt::format("{}[{}].{}", list->name, index, f.name) : std::string(f.name);
        static_cast<std::vector<Named>*>(ctx)->push_back({name, field});
        return false;
    };
    schema_visit_prefix_sets(s, config, add, &out);
    return out;
}

std::string resolve(const std::string& name, const std::string& config_file)
{
    const std::filesystem::path p(name);
    return p.is_absolute() ? name : (std::filesystem::path(config_file).parent_path() / p).string();
}

} // namespace

void attach_prefix_sets(const Schema& schema, const YAML::Node& map, const std::string& file, const std::string& prefix,
                        std::vector<uint8_t>& cfg)
{
    const std::vector<Named> named = named_sets(schema, cfg.data());
    std::vector<prefix_sets::CompiledSet> sets;
    std::set<std::string> done;
    for (const Named& n : named) {
        if (!done.insert(n.name).second) continue; // named twice, compiled once
        const InputLocation at = location_of(node_at_path(map, n.field), file);
        const std::string field = prefix.empty() ? n.field : prefix + "." + n.field;
        if (sets.size() == kMaxPrefixSets)
            throw InputError(at, field, fmt::format("names a prefix set beyond the {} one config may use", kMaxPrefixSets));
        const std::string path = resolve(n.name, file);
        std::string text;
        try {
            text = read_input_file(path, InputKind::Text, kMaxPrefixFileBytes);
        } catch (const InputError& e) {
            // Where the config names it, and why the file cannot be read.
            throw InputError(at, field, fmt::format("prefix file {}: {}", path, e.message()));
        }
        prefix_sets::CompiledSet set;
        prefix_sets::CompileError err;
        if (!prefix_sets::compile_prefix_set(n.name, text, &set, &err))
            throw InputError({path, err.line, err.column}, field, err.message);
        sets.push_back(std::move(set));
    }
    if (sets.empty()) return;
    const std::vector<uint8_t> image = prefix_sets::build_image(sets);
    cfg.resize(config_data_offset(cfg.size()), 0);
    cfg.insert(cfg.end(), image.begin(), image.end());
}

std::vector<std::string> describe_prefix_sets(uint32_t config_size, const std::vector<uint8_t>& blob)
{
    std::vector<std::string> out;
    const ConfigData data = config_data(blob.data(), config_size, blob.size());
    if (!data.image || !prefix_set_image_check(data.image, data.bytes, nullptr)) return out;
    const PrefixSetImage& img = *static_cast<const PrefixSetImage*>(data.image);
    for (uint32_t i = 0; i < img.set_count; ++i) {
        const PrefixSetDesc& s = img.sets[i];
        const uint64_t entries = uint64_t{s.entries_v4} + s.entries_v6;
        uint64_t bytes = 0;
        for (const PrefixTableDesc* t : {&s.v4, &s.v6})
            if (t->starts) // each start: a key and a value, half an entry's bound
                bytes += kPrefixSetIndexBytes + uint64_t{t->starts} * (t == &s.v4 ? kPrefixSetBytesV4 : kPrefixSetBytesV6) / 2;
        out.push_back(fmt::format("prefix set '{}': {} entries ({} IPv4, {} IPv6), {} bytes in the image", s.name,
                                  format_count(entries), format_count(s.entries_v4), format_count(s.entries_v6),
                                  format_count(bytes)));
    }
    return out;
}

} // namespace offsched::tools
