#include "backends/sim/hotplug/hotplug_scenario.h"

#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "backends/sim/hotplug/yaml_input.h"
#include "services/registry.h"

namespace offsched::sim::hotplug {

namespace {

std::string at(const std::string& file, const YAML::Node& n, const std::string& field, const std::string& what)
{
    return input_error(file, n, field, what);
}

std::string service_names()
{
    std::string known;
    for (uint32_t i = 0; i < service_kind_count(); ++i) known += (i ? ", " : "") + std::string(service_kind(i).name);
    return known;
}

bool as_int(const std::string& file, const YAML::Node& n, const std::string& field, int* out, std::string* err)
{
    try {
        *out = n.as<int>();
        return true;
    } catch (const YAML::Exception&) {
        *err = at(file, n, field, "expected an integer, got '" + n.Scalar() + "'");
        return false;
    }
}

bool load_op(const std::string& file, const YAML::Node& n, size_t i, HotplugOp* op, std::string* err)
{
    const std::string f = fmt::format("hotplug.ops[{}]", i);
    if (!n.IsMap()) {
        *err = at(file, n, f, "expected {offline: CPU} or {online: CPU} (+ fail_at, error_at, error_ret)");
        return false;
    }
    op->line = n.Mark().line + 1;
    op->column = n.Mark().column + 1;
    int kinds = 0;
    for (const auto& kv : n) {
        const std::string k = kv.first.Scalar();
        if (k == "offline" || k == "online") {
            ++kinds;
            op->kind = k == "offline" ? HotplugOp::Kind::Offline : HotplugOp::Kind::Online;
            if (!as_int(file, kv.second, f + "." + k, &op->cpu, err))
                return false;
        } else if (k == "fail_at") {
            if (!as_int(file, kv.second, f + ".fail_at", &op->fail_at, err))
                return false;
        } else if (k == "error_at") {
            if (!as_int(file, kv.second, f + ".error_at", &op->error_at, err))
                return false;
        } else if (k == "error_ret") {
            if (!as_int(file, kv.second, f + ".error_ret", &op->error_ret, err))
                return false;
        } else {
            *err = at(file, kv.first, f + "." + k, "unknown field (offline, online, fail_at, error_at, error_ret)");
            return false;
        }
    }
    if (kinds != 1) {
        *err = at(file, n, f, "needs exactly one of offline: or online:");
        return false;
    }
    return true;
}

} // namespace

bool is_hotplug_scenario(const std::string& path)
{
    YAML::Node root;
    std::string error; // not one: a file that does not load is for the caller's own loader to report
    return load_yaml_file(path, &root, &error) && root.IsMap() && root["hotplug"];
}

namespace {
// yaml-cpp keeps both of two equal keys and answers lookups with the first: refuse the second.
bool no_duplicate_keys(const std::string& path, const YAML::Node& map, const std::string& prefix, std::string* error)
{
    if (!map.IsMap()) return true;
    std::set<std::string> seen;
    for (const auto& kv : map) {
        if (seen.insert(kv.first.Scalar()).second) continue;
        *error = at(path, kv.first, prefix + kv.first.Scalar(), "duplicate key");
        return false;
    }
    return true;
}
} // namespace

bool load_hotplug_scenario(const std::string& path, HotplugScenario* out, std::string* error)
{
    YAML::Node root;
    if (!load_yaml_file(path, &root, error))
        return false;
    HotplugScenario s;
    s.run.file = path;
    if (!root.IsMap() || !root["hotplug"] || !root["hotplug"].IsMap()) {
        *error = path + ": hotplug: missing or not a map";
        return false;
    }
    if (!no_duplicate_keys(path, root, "", error)) return false;
    for (const auto& kv : root) {
        const std::string k = kv.first.Scalar();
        if (k != "name" && k != "description" && k != "hotplug") {
            *error = at(path, kv.first, k, "unknown top-level field (name, description, hotplug)");
            return false;
        }
    }
    s.name = root["name"] ? root["name"].Scalar() : std::filesystem::path(path).stem().string();
    s.description = root["description"] ? root["description"].Scalar() : "";
    const YAML::Node h = root["hotplug"];
    if (!no_duplicate_keys(path, h, "hotplug.", error)) return false;
    for (const auto& kv : h) {
        const std::string k = kv.first.Scalar();
        if (k != "kernel" && k != "cpus" && k != "offsched" && k != "ops") {
            *error = at(path, kv.first, "hotplug." + k, "unknown field (kernel, cpus, offsched, ops)");
            return false;
        }
    }
    if (!h["kernel"]) {
        *error = at(path, h, "hotplug.kernel", "missing (e.g. linux-6.1 for data/cpuhp/linux-6.1.yaml)");
        return false;
    }
    std::string table_path = h["kernel"].Scalar();
    if (!std::filesystem::exists(table_path)) {
        const auto beside = std::filesystem::path(path).parent_path() / table_path;
        table_path = std::filesystem::exists(beside) ? beside.string() : cpuhp_table_path(table_path);
    }
    if (!std::filesystem::exists(table_path)) {
        *error = at(path, h["kernel"], "hotplug.kernel",
                    fmt::format("no state table '{}' (looked for {})", h["kernel"].Scalar(), table_path));
        return false;
    }
    if (!load_cpuhp_table(table_path, &s.table, error))
        return false;
    if (h["cpus"] && !as_int(path, h["cpus"], "hotplug.cpus", &s.run.ncpus, error))
        return false;
    if (const YAML::Node o = h["offsched"]) {
        if (!o.IsMap() || !o["cpu"]) {
            *error = at(path, o, "hotplug.offsched", "expected {cpu: N, service: NAME, cooperative_stop: BOOL}");
            return false;
        }
        s.run.offsched.enabled = true;
        if (!no_duplicate_keys(path, o, "hotplug.offsched.", error)) return false;
        for (const auto& kv : o) {
            const std::string k = kv.first.Scalar();
            if (k == "cpu") {
                if (!as_int(path, kv.second, "hotplug.offsched.cpu", &s.run.offsched.cpu, error))
                    return false;
            } else if (k == "service") {
                s.run.offsched.service = kv.second.Scalar();
                if (!find_service(s.run.offsched.service.c_str())) {
                    *error = at(path, kv.second, "hotplug.offsched.service",
                                fmt::format("unknown service '{}'; available: {}", s.run.offsched.service, service_names()));
                    return false;
                }
            } else if (k == "cooperative_stop") {
                try {
                    s.run.offsched.cooperative_stop = kv.second.as<bool>();
                } catch (const YAML::Exception&) {
                    *error = at(path, kv.second, "hotplug.offsched.cooperative_stop", "expected true or false");
                    return false;
                }
            } else {
                *error = at(path, kv.first, "hotplug.offsched." + k, "unknown field (cpu, service, cooperative_stop)");
                return false;
            }
        }
        if (s.run.offsched.service.empty()) {
            *error = at(path, o, "hotplug.offsched.service",
                        fmt::format("name the service the CPU runs instead of halting ({})", service_names()));
            return false;
        }
    }
    const YAML::Node ops = h["ops"];
    if (!ops || !ops.IsSequence() || ops.size() == 0) {
        *error = at(path, h, "hotplug.ops", "missing or empty: list offline:/online: operations");
        return false;
    }
    for (size_t i = 0; i < ops.size(); ++i) {
        HotplugOp op;
        if (!load_op(path, ops[i], i, &op, error))
            return false;
        s.run.ops.push_back(op);
    }
    *out = std::move(s);
    return true;
}

} // namespace offsched::sim::hotplug
