#include "tools/offschedctl/machine_file.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "tools/lib/schema_yaml.h"
#include "tools/lib/service_config.h"
#include "lib/input/yaml_file.h"

namespace offsched::ctl {

namespace fs = std::filesystem;
using tools::InputError;
using tools::location_of;

namespace {

constexpr const char* kEntryKeys = "cpu, service, config, nic";

std::string scalar(const YAML::Node& n, const std::string& file, const std::string& field)
{
    if (!n.IsScalar()) throw InputError(location_of(n, file), field, "expected a single value");
    return n.Scalar();
}

uint32_t cpu_number(const YAML::Node& n, const std::string& file, const std::string& field)
{
    const std::string s = scalar(n, file, field);
    uint32_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        throw InputError(location_of(n, file), field, "expected a CPU number, got '" + s + "'");
    if (v == 0) throw InputError(location_of(n, file), field, "CPU 0 is the boot CPU, which x86 Linux does not take offline");
    return v;
}

// One entry of `cpus:`: its CPUs, each with the same config (random fields drawn once).
std::vector<WantedCpu> load_entry(const YAML::Node& e, const std::string& file, const std::string& at)
{
    if (!e.IsMap()) throw InputError(location_of(e, file), at, std::string("expected a map with ") + kEntryKeys);
    for (const auto& kv : e) {
        const std::string key = kv.first.Scalar();
        if (key != "cpu" && key != "service" && key != "config" && key != "nic")
            throw InputError(location_of(kv.first, file), at + "." + key, std::string("unknown key; an entry takes ") + kEntryKeys);
    }
    if (!e["cpu"]) throw InputError(location_of(e, file), at + ".cpu", "every entry names its CPU (or a list of CPUs)");
    if (!e["service"]) throw InputError(location_of(e, file), at + ".service", "every entry names its service");
    WantedCpu w;
    w.where = location_of(e, file);
    w.kind = &tools::service_by_name(scalar(e["service"], file, at + ".service"), location_of(e["service"], file),
                                     at + ".service");
    if (e["nic"]) w.nic = scalar(e["nic"], file, at + ".nic");
    const YAML::Node cfg = e["config"];
    if (!cfg || cfg.IsNull()) {
        w.config.resize(w.kind->config_size);
        w.kind->defaults(w.config.data());
        w.deployed = w.config;
        tools::randomize_unset_fields(*w.kind, YAML::Node(), w.deployed);
    } else if (cfg.IsScalar()) { // a file beside this one
        const fs::path p = fs::path(cfg.Scalar()).is_absolute() ? fs::path(cfg.Scalar())
                                                                 : fs::path(file).parent_path() / cfg.Scalar();
        const YAML::Node map = tools::load_yaml_file(p.string());
        w.config = tools::load_service_config(*w.kind, map, p.string(), "");
        w.deployed = w.config;
        tools::randomize_unset_fields(*w.kind, map, w.deployed);
    } else {
        w.config = tools::load_service_config(*w.kind, cfg, file, at + ".config");
        w.deployed = w.config;
        tools::randomize_unset_fields(*w.kind, cfg, w.deployed);
    }
    std::vector<WantedCpu> out;
    const YAML::Node cpus = e["cpu"];
    if (cpus.IsSequence()) {
        if (cpus.size() == 0) throw InputError(location_of(cpus, file), at + ".cpu", "an empty list of CPUs");
        for (size_t i = 0; i < cpus.size(); ++i) {
            WantedCpu c = w;
            c.cpu = cpu_number(cpus[i], file, fmt::format("{}.cpu[{}]", at, i));
            c.where = location_of(cpus[i], file);
            out.push_back(std::move(c));
        }
    } else {
        w.cpu = cpu_number(cpus, file, at + ".cpu");
        w.where = location_of(cpus, file);
        out.push_back(std::move(w));
    }
    return out;
}

void load_one(const std::string& file, std::vector<WantedCpu>& out)
{
    const YAML::Node root = tools::load_yaml_file(file);
    if (root.IsNull()) return; // an empty file asks for nothing
    if (!root.IsMap()) throw InputError(location_of(root, file), "", "expected a map with `cpus:`");
    for (const auto& kv : root)
        if (kv.first.Scalar() != "cpus")
            throw InputError(location_of(kv.first, file), kv.first.Scalar(), "unknown key; the file takes `cpus:` (a list)");
    const YAML::Node list = root["cpus"];
    if (!list || list.IsNull()) return;
    if (!list.IsSequence()) throw InputError(location_of(list, file), "cpus", "expected a list of entries");
    for (size_t i = 0; i < list.size(); ++i)
        for (WantedCpu& c : load_entry(list[i], file, fmt::format("cpus[{}]", i))) out.push_back(std::move(c));
}

std::string where(const tools::InputLocation& l) { return fmt::format("{}:{}:{}", l.file, l.line, l.column); }

} // namespace

std::vector<WantedCpu> load_machine_file(const std::string& path)
{
    std::vector<WantedCpu> out;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        std::vector<std::string> files;
        for (const auto& f : fs::directory_iterator(path, ec))
            if (f.path().extension() == ".yaml") files.push_back(f.path().string());
        if (ec) throw InputError({path, 0, 0}, "", "cannot list the directory: " + ec.message());
        std::sort(files.begin(), files.end());
        for (const std::string& f : files) load_one(f, out);
    } else {
        load_one(path, out);
    }
    std::map<uint32_t, const WantedCpu*> seen;
    for (const WantedCpu& c : out) {
        auto [it, fresh] = seen.emplace(c.cpu, &c);
        if (!fresh)
            throw InputError(c.where, "cpu", fmt::format("CPU {} is already given to {} at {}", c.cpu, it->second->kind->name,
                                                         where(it->second->where)));
    }
    std::sort(out.begin(), out.end(), [](const WantedCpu& a, const WantedCpu& b) { return a.cpu < b.cpu; });
    return out;
}

} // namespace offsched::ctl
