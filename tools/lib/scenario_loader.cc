#include "tools/lib/scenario_loader.h"

#include <charconv>
#include <set>

#include <fmt/format.h>

#include "backends/sim/run/design_checks.h"
#include "tools/lib/quantity.h"
#include "tools/lib/schema_yaml.h"
#include "tools/lib/service_config.h"
#include "lib/input/yaml_file.h"

namespace offsched::tools {

namespace {

const InputLocation kCommandLine{"<command line>", 0, 0};
constexpr const char* kDesignKinds[] = {"baseline", "offsched"};

void* section_ptr(sim::SimParams& p, const sim::ParamSection& s) { return reinterpret_cast<uint8_t*>(&p) + s.offset; }

const sim::ParamSection* find_section(const std::string& name)
{
    uint32_t n = 0;
    const sim::ParamSection* all = sim::param_sections(&n);
    for (uint32_t i = 0; i < n; ++i)
        if (name == all[i].name) return &all[i];
    return nullptr;
}

std::string section_names()
{
    uint32_t n = 0;
    const sim::ParamSection* all = sim::param_sections(&n);
    std::string out;
    for (uint32_t i = 0; i < n; ++i) out += (i ? ", " : "") + std::string(all[i].name);
    return out;
}

// Loads `key: map` into params if key names a section. False if it is not a section.
bool load_section(sim::SimParams& p, const std::string& key, const YAML::Node& value, const std::string& file,
                  const std::string& prefix)
{
    const sim::ParamSection* s = find_section(key);
    if (!s) return false;
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    load_struct(s->schema, value, section_ptr(p, *s), file, path);
    ConfigError err;
    if (s->check && !s->check(section_ptr(p, *s), &err)) throw_config_error(err, value, file, path);
    return true;
}

std::string scalar(const YAML::Node& n, const std::string& file, const std::string& field)
{
    if (!n.IsScalar()) throw InputError(location_of(n, file), field, "expected a single value");
    return n.Scalar();
}

// Where each design came from, to point semantic errors at the right line.
struct DesignSource {
    YAML::Node node;
    YAML::Node cores_node;
};

// designs[i].reloads: [{at: 1s, config: {...}}, ...], times ascending; each config loaded like
// the design's own and checked against the one before it, as a running service would check it.
std::vector<sim::ConfigReload> load_reloads(const sim::Design& d, const YAML::Node& list, const std::string& file,
                                            const std::string& field)
{
    if (!list.IsSequence()) throw InputError(location_of(list, file), field, "expected a list of {at, config}");
    if (!d.service) throw InputError(location_of(list, file), field, "reloads need a service");
    std::vector<sim::ConfigReload> out;
    const std::vector<uint8_t>* running = &d.service_config;
    for (size_t i = 0; i < list.size(); ++i) {
        const YAML::Node& r = list[i];
        const std::string at = fmt::format("{}[{}]", field, i);
        if (!r.IsMap() || !r["at"] || !r["config"] || r.size() != 2)
            throw InputError(location_of(r, file), at, "expected a map with exactly 'at' (a time) and 'config'");
        sim::ConfigReload cr;
        std::string why;
        const std::optional<uint64_t> t = parse_quantity(scalar(r["at"], file, at + ".at"), "ns", &why);
        if (!t) throw InputError(location_of(r["at"], file), at + ".at", why);
        if (!out.empty() && *t <= out.back().at_ns)
            throw InputError(location_of(r["at"], file), at + ".at", "reload times must increase");
        cr.at_ns = *t;
        cr.config = load_service_config(*d.service, r["config"], file, at + ".config");
        ConfigError err;
        if (!d.service->reload_check(running->data(), cr.config.data(), &err))
            throw_config_error(err, r["config"], file, at + ".config");
        out.push_back(std::move(cr));
        running = &out.back().config;
    }
    return out;
}

// designs[i].requests: [{at: 10ms, text: "...", every: 1ms, count: 100}, ...]: lines in the
// service's own request text form, each parsed here once so a bad one is named before the run.
std::vector<sim::ChannelRequest> load_requests(const sim::Design& d, const YAML::Node& list, const std::string& file,
                                               const std::string& field)
{
    if (!list.IsSequence()) throw InputError(location_of(list, file), field, "expected a list of {at, text, every, count}");
    if (!d.service) throw InputError(location_of(list, file), field, "requests need a service");
    const ChannelSpec& c = d.service->channels;
    if (!c.request_bytes || !c.request_from_text)
        throw InputError(location_of(list, file), field, fmt::format("the {} service takes no requests", d.service->name));
    std::vector<sim::ChannelRequest> out;
    for (size_t i = 0; i < list.size(); ++i) {
        const YAML::Node& n = list[i];
        const std::string at = fmt::format("{}[{}]", field, i);
        if (!n.IsMap() || !n["at"] || !n["text"])
            throw InputError(location_of(n, file), at, "expected a map with 'at' (a time), 'text', and optionally 'every' and 'count'");
        sim::ChannelRequest r;
        for (const auto& kv : n) {
            const std::string key = kv.first.Scalar(), f = at + "." + key;
            const std::string v = scalar(kv.second, file, f);
            std::string why;
            std::optional<uint64_t> q;
            if (key == "text") {
                r.text = v;
                continue;
            } else if (key == "at" || key == "every") {
                q = parse_quantity(v, "ns", &why);
            } else if (key == "count") {
                q = parse_quantity(v, "", &why);
            } else {
                throw InputError(location_of(kv.first, file), f, "unknown key; a request takes at, text, every and count");
            }
            if (!q) throw InputError(location_of(kv.second, file), f, why);
            if (key != "at" && *q == 0)
                throw InputError(location_of(kv.second, file), f,
                                 key == "every" ? "must be above 0 (a request without 'every' is posted once)" : "must be above 0");
            (key == "at" ? r.at_ns : key == "every" ? r.every_ns : r.count) = *q;
        }
        if (n["count"] && !n["every"])
            throw InputError(location_of(n["count"], file), at + ".count", "a count needs 'every' (a request without it is posted once)");
        if (!n["count"] && r.every_ns) r.count = 0; // every period to the end of the run
        alignas(8) uint8_t record[kMaxChannelRecord];
        if (!c.request_from_text(r.text.data(), static_cast<u32>(r.text.size()), RequestContext{0, 1000000}, record))
            throw InputError(location_of(n["text"], file), at + ".text",
                             fmt::format("'{}' is not a request the {} service takes", r.text, d.service->name));
        out.push_back(std::move(r));
    }
    return out;
}

sim::Design load_design(const YAML::Node& node, size_t index, const sim::SimParams& base, const std::string& file)
{
    const std::string at = fmt::format("designs[{}]", index);
    if (!node.IsMap()) throw InputError(location_of(node, file), at, "expected a map with name, kind, ...");
    sim::Design d;
    d.params = base;
    std::set<std::string> seen;
    YAML::Node config; // stays unset unless the design has `config:` (a default Node is null, not absent)
    YAML::Node reloads, requests;
    bool has_config = false, has_reloads = false, has_requests = false;
    for (const auto& kv : node) {
        const std::string key = kv.first.Scalar();
        const std::string field = at + "." + key;
        if (!seen.insert(key).second) throw InputError(location_of(kv.first, file), field, "duplicate key");
        if (key == "name") {
            d.name = scalar(kv.second, file, field);
        } else if (key == "kind") {
            const std::string k = scalar(kv.second, file, field);
            if (k == kDesignKinds[0]) d.kind = sim::DesignKind::Baseline;
            else if (k == kDesignKinds[1]) d.kind = sim::DesignKind::Offsched;
            else throw InputError(location_of(kv.second, file), field, "'" + k + "' is not one of: baseline, offsched");
        } else if (key == "offload_cores") {
            if (!kv.second.IsSequence()) throw InputError(location_of(kv.second, file), field, "expected a list of core numbers");
            for (size_t i = 0; i < kv.second.size(); ++i) {
                const std::string s = scalar(kv.second[i], file, fmt::format("{}[{}]", field, i));
                uint32_t core = 0;
                const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), core);
                if (ec != std::errc() || p != s.data() + s.size())
                    throw InputError(location_of(kv.second[i], file), fmt::format("{}[{}]", field, i),
                                     "expected a core number, got '" + s + "'");
                d.offload_cores.push_back(core);
            }
        } else if (key == "service") {
            d.service = &service_by_name(scalar(kv.second, file, field), location_of(kv.second, file), field);
        } else if (key == "config") {
            config = kv.second;
            has_config = true;
        } else if (key == "reloads") {
            reloads = kv.second;
            has_reloads = true;
        } else if (key == "requests") {
            requests = kv.second;
            has_requests = true;
        } else if (!load_section(d.params, key, kv.second, file, at)) {
            throw InputError(location_of(kv.first, file), field,
                             "unknown key; a design takes name, kind, offload_cores, service, config, reloads, requests or a parameter "
                             "section (" + section_names() + ")");
        }
    }
    if (d.name.empty()) throw InputError(location_of(node, file), at + ".name", "every design needs a name");
    if (has_config && !d.service)
        throw InputError(location_of(config, file), at + ".config", "a config needs a service");
    if (d.service) d.service_config = load_service_config(*d.service, config, file, at + ".config");
    if (has_reloads) d.reloads = load_reloads(d, reloads, file, at + ".reloads");
    if (has_requests) d.requests = load_requests(d, requests, file, at + ".requests");
    return d;
}

// Where a parameter of a design was set: on the command line (--set), in the design, in the
// scenario's own sections, or nowhere (its default: point at the design).
InputLocation where_set(const std::string& field, const DesignSource& src, const YAML::Node& root,
                        const std::vector<ParamOverride>& overrides, const std::string& file)
{
    for (const ParamOverride& o : overrides)
        if (o.key == field) return kCommandLine;
    const YAML::Node in_design = node_at_path(src.node, field);
    if (in_design != src.node) return location_of(in_design, file);
    const YAML::Node in_root = node_at_path(root, field);
    return location_of(in_root != root ? in_root : src.node, file);
}

// What makes no sense in a resolved design as a whole, if anything: the field (below the design),
// why, and which offload core when it is one of them. Loading and sweeping both ask.
struct DesignFault {
    std::string field, message;
    int core = -1; // index into offload_cores
    explicit operator bool() const { return !message.empty(); }
};

DesignFault design_fault(const sim::Design& d)
{
    const uint32_t cores = d.params.machine.cores;
    if (const sim::DesignProblem e = sim::parameter_problem(d); !e.ok()) return {e.field, e.message};
    if (d.kind == sim::DesignKind::Baseline) {
        if (!d.offload_cores.empty())
            return {"offload_cores", "a baseline design runs every core in the OS; use kind: offsched to offload cores"};
        if (d.service) return {"service", "a baseline design runs no service"};
        return {};
    }
    if (d.offload_cores.empty()) return {"offload_cores", "an offsched design needs at least one core"};
    for (size_t i = 0; i < d.reloads.size(); ++i)
        if (d.reloads[i].at_ns >= d.params.run.duration_ns)
            return {fmt::format("reloads[{}].at", i),
                    fmt::format("{} ns is not before the end of the run (run.duration_ns {})", d.reloads[i].at_ns,
                                d.params.run.duration_ns)};
    for (size_t i = 0; i < d.requests.size(); ++i)
        if (d.requests[i].at_ns >= d.params.run.duration_ns)
            return {fmt::format("requests[{}].at", i),
                    fmt::format("{} ns is not before the end of the run (run.duration_ns {})", d.requests[i].at_ns,
                                d.params.run.duration_ns)};
    if (!d.service) return {"service", "an offsched design needs a service"};
    std::set<uint32_t> seen;
    for (size_t i = 0; i < d.offload_cores.size(); ++i) {
        const uint32_t c = d.offload_cores[i];
        const std::string field = fmt::format("offload_cores[{}]", i);
        const int at = static_cast<int>(i);
        if (c >= cores) return {field, fmt::format("core {} does not exist (machine.cores is {})", c, cores), at};
        if (c == 0) return {field, "core 0 is the boot CPU, which x86 Linux does not take offline", at};
        if (!seen.insert(c).second) return {field, fmt::format("core {} is listed twice", c), at};
    }
    // Distinct cores from 1 to cores-1: core 0 always stays in the OS, as on x86 Linux.
    return {};
}

void check_design(const sim::Design& d, const DesignSource& src, size_t index, const std::string& file, const YAML::Node& root,
                  const std::vector<ParamOverride>& overrides)
{
    const DesignFault f = design_fault(d);
    if (!f) return;
    const std::string field = fmt::format("designs[{}].{}", index, f.field);
    if (f.core >= 0) throw InputError(location_of(src.cores_node ? src.cores_node[f.core] : src.node, file), field, f.message);
    if (f.field == "offload_cores" && d.kind == sim::DesignKind::Baseline) // cores given where none belong
        throw InputError(location_of(src.cores_node, file), field, f.message);
    if (f.field == "offload_cores" || f.field == "service") throw InputError(location_of(src.node, file), field, f.message);
    if (f.field.rfind("reloads[", 0) == 0) // the time of that reload in the design
        throw InputError(location_of(node_at_path(src.node, f.field), file), field, f.message);
    throw InputError(where_set(f.field, src, root, overrides, file), field, f.message);
}

void apply_override_to(sim::SimParams& p, const ParamOverride& o)
{
    const size_t dot = o.key.find('.');
    const sim::ParamSection* s = dot == std::string::npos ? nullptr : find_section(o.key.substr(0, dot));
    if (!s) throw InputError(kCommandLine, o.key, "expected section.field with a section among " + section_names());
    set_field_text(s->schema, section_ptr(p, *s), o.key.substr(dot + 1), o.value, kCommandLine, o.key);
}

} // namespace

ParamOverride parse_override(const std::string& text)
{
    const size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
        throw InputError(kCommandLine, "--set", "expected key=value, got '" + text + "'");
    return {text.substr(0, eq), text.substr(eq + 1)};
}

void apply_override(sim::Scenario& s, const ParamOverride& o)
{
    for (sim::Design& d : s.designs) apply_override_to(d.params, o);
}

void check_overridden(const sim::Scenario& s, const std::string& what)
{
    for (size_t i = 0; i < s.designs.size(); ++i)
        if (const DesignFault f = design_fault(s.designs[i]))
            throw InputError(kCommandLine, fmt::format("designs[{}].{}", i, f.field), what + ": " + f.message);
}

sim::Scenario load_scenario(const std::string& path, const std::vector<ParamOverride>& overrides)
{
    return scenario_from_yaml(load_yaml_file(path), path, overrides);
}

sim::Scenario scenario_from_yaml(const YAML::Node& root, const std::string& path, const std::vector<ParamOverride>& overrides)
{
    if (!root.IsMap()) throw InputError(location_of(root, path), "", "a scenario is a map with name, designs, ...");
    sim::Scenario s;
    s.file = path;
    sim::SimParams base = sim::default_params();
    YAML::Node designs;
    std::set<std::string> seen;
    for (const auto& kv : root) {
        const std::string key = kv.first.Scalar();
        if (!seen.insert(key).second) throw InputError(location_of(kv.first, path), key, "duplicate key");
        if (key == "name") s.name = scalar(kv.second, path, key);
        else if (key == "description") s.description = scalar(kv.second, path, key);
        else if (key == "seed") {
            const std::string v = scalar(kv.second, path, key);
            const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), s.seed);
            if (ec != std::errc() || p != v.data() + v.size())
                throw InputError(location_of(kv.second, path), key, "expected a non-negative integer, got '" + v + "'");
        } else if (key == "designs") designs = kv.second;
        else if (!load_section(base, key, kv.second, path, ""))
            throw InputError(location_of(kv.first, path), key,
                             "unknown key; a scenario takes name, description, seed, designs or a parameter section (" +
                                 section_names() + ")");
    }
    if (s.name.empty()) throw InputError(location_of(root, path), "name", "a scenario needs a name");
    if (!designs || !designs.IsSequence() || designs.size() == 0)
        throw InputError(location_of(designs ? designs : root, path), "designs", "expected a non-empty list of designs");

    std::vector<DesignSource> sources;
    std::set<std::string> names;
    for (size_t i = 0; i < designs.size(); ++i) {
        sim::Design d = load_design(designs[i], i, base, path);
        if (!names.insert(d.name).second)
            throw InputError(location_of(designs[i]["name"], path), fmt::format("designs[{}].name", i),
                             "design '" + d.name + "' is defined twice");
        sources.push_back({designs[i], designs[i]["offload_cores"]});
        s.designs.push_back(std::move(d));
    }
    for (const ParamOverride& o : overrides) apply_override(s, o);
    for (size_t i = 0; i < s.designs.size(); ++i) check_design(s.designs[i], sources[i], i, path, root, overrides);
    return s;
}

nlohmann::ordered_json params_to_json(const sim::SimParams& p)
{
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    uint32_t n = 0;
    const sim::ParamSection* all = sim::param_sections(&n);
    for (uint32_t i = 0; i < n; ++i)
        j[all[i].name] = struct_to_json(all[i].schema, reinterpret_cast<const uint8_t*>(&p) + all[i].offset);
    return j;
}

nlohmann::ordered_json scenario_to_json(const sim::Scenario& s)
{
    nlohmann::ordered_json j;
    j["name"] = s.name;
    j["description"] = s.description;
    j["file"] = s.file;
    j["seed"] = s.seed;
    j["designs"] = nlohmann::ordered_json::array();
    for (const sim::Design& d : s.designs) {
        nlohmann::ordered_json dj;
        dj["name"] = d.name;
        dj["kind"] = kDesignKinds[static_cast<uint32_t>(d.kind)];
        dj["offload_cores"] = d.offload_cores;
        if (d.service) {
            dj["service"] = d.service->name;
            dj["config"] = struct_to_json(d.service->schema, d.service_config.data());
            for (const sim::ConfigReload& r : d.reloads)
                dj["reloads"].push_back({{"at_ns", r.at_ns}, {"config", struct_to_json(d.service->schema, r.config.data())}});
            for (const sim::ChannelRequest& r : d.requests)
                dj["requests"].push_back({{"at_ns", r.at_ns}, {"every_ns", r.every_ns}, {"count", r.count}, {"text", r.text}});
        }
        dj["params"] = params_to_json(d.params);
        j["designs"].push_back(dj);
    }
    return j;
}

} // namespace offsched::tools
