#include "backends/sim/hotplug/cpuhp_table.h"

#include <filesystem>

#include <fmt/format.h>

#include "backends/sim/hotplug/yaml_input.h"

namespace offsched::sim::hotplug {

const char* section_name(Section s)
{
    switch (s) {
    case Section::Prepare: return "PREPARE";
    case Section::Starting: return "STARTING";
    case Section::Online: return "ONLINE";
    }
    return "?";
}

const CpuhpState* CpuhpTable::find(int step) const
{
    auto it = states.find(step);
    return it == states.end() ? nullptr : &it->second;
}

const CpuhpState* CpuhpTable::find_name(const std::string& name) const
{
    for (const auto& [step, st] : states)
        if (st.name == name)
            return &st;
    return nullptr;
}

int CpuhpTable::free_bp_prepare_dyn_slot() const
{
    for (int s = anchors.bp_prepare_dyn; s <= anchors.bp_prepare_dyn_end; ++s)
        if (!find(s))
            return s;
    return -1;
}

namespace {

// A YAML node with the file it came from, so every error names file, line and field.
struct Ctx {
    const std::string& file;
    std::string fail(const YAML::Node& n, const std::string& field, const std::string& what) const
    {
        return input_error(file, n, field, what);
    }
};

bool get_u64(const Ctx& c, const YAML::Node& map, const char* key, uint64_t* out, std::string* err,
             const std::string& where)
{
    const YAML::Node v = map[key];
    if (!v)
        return true;
    try {
        *out = v.as<uint64_t>();
    } catch (const YAML::Exception&) {
        *err = c.fail(v, where + key, "expected a non-negative integer (ns), got '" + v.Scalar() + "'");
        return false;
    }
    return true;
}

bool get_int(const Ctx& c, const YAML::Node& map, const char* key, int* out, std::string* err,
             const std::string& where, bool required)
{
    const YAML::Node v = map[key];
    if (!v) {
        if (required)
            *err = c.fail(map, where + key, "missing");
        return !required;
    }
    try {
        *out = v.as<int>();
    } catch (const YAML::Exception&) {
        *err = c.fail(v, where + key, "expected an integer, got '" + v.Scalar() + "'");
        return false;
    }
    return true;
}

bool parse_section(const std::string& s, Section* out)
{
    if (s == "prepare") *out = Section::Prepare;
    else if (s == "starting") *out = Section::Starting;
    else if (s == "online") *out = Section::Online;
    else return false;
    return true;
}

// The section a step must be in, from the anchors (include/linux/cpuhotplug.h's layout).
Section expected_section(const CpuhpAnchors& a, int step)
{
    if (step <= a.bringup_cpu || step == a.teardown_cpu)
        return Section::Prepare;
    if (step <= a.ap_online)
        return Section::Starting;
    return Section::Online;
}

bool load_anchors(const Ctx& c, const YAML::Node& n, CpuhpAnchors* a, std::string* err)
{
    if (!n || !n.IsMap()) {
        *err = fmt::format("{}: anchors: missing or not a map", c.file);
        return false;
    }
    struct { const char* key; int* dst; } fields[] = {
        {"offline", &a->offline}, {"bp_prepare_dyn", &a->bp_prepare_dyn},
        {"bp_prepare_dyn_end", &a->bp_prepare_dyn_end}, {"bringup_cpu", &a->bringup_cpu},
        {"ap_idle_dead", &a->ap_idle_dead}, {"ap_offline", &a->ap_offline},
        {"ap_online", &a->ap_online}, {"teardown_cpu", &a->teardown_cpu},
        {"ap_online_idle", &a->ap_online_idle}, {"ap_online_dyn", &a->ap_online_dyn},
        {"ap_online_dyn_end", &a->ap_online_dyn_end}, {"ap_active", &a->ap_active},
        {"online", &a->online}};
    for (auto& f : fields)
        if (!get_int(c, n, f.key, f.dst, err, "anchors.", true))
            return false;
    const bool ordered = a->offline < a->bp_prepare_dyn && a->bp_prepare_dyn < a->bp_prepare_dyn_end &&
        a->bp_prepare_dyn_end < a->bringup_cpu && a->bringup_cpu + 1 == a->ap_idle_dead &&
        a->ap_idle_dead + 1 == a->ap_offline && a->ap_offline < a->ap_online &&
        a->ap_online + 1 == a->teardown_cpu && a->teardown_cpu + 1 == a->ap_online_idle &&
        a->ap_online_idle < a->ap_online_dyn && a->ap_online_dyn < a->ap_online_dyn_end &&
        a->ap_online_dyn_end < a->ap_active && a->ap_active + 1 == a->online;
    if (!ordered) {
        *err = c.fail(n, "anchors", "steps out of the order include/linux/cpuhotplug.h defines "
                                    "(OFFLINE < BP_PREPARE_DYN.. < BRINGUP_CPU, IDLE_DEAD = BRINGUP+1, ...)");
        return false;
    }
    return true;
}

bool load_costs(const Ctx& c, const YAML::Node& n, CpuhpCosts* k, std::string* err)
{
    if (!n)
        return true;
    if (!n.IsMap()) {
        *err = c.fail(n, "costs", "expected a map of <name>_ns: integer");
        return false;
    }
    struct { const char* key; uint64_t* dst; } fields[] = {
        {"default_callback_ns", &k->default_callback_ns}, {"thread_wakeup_ns", &k->thread_wakeup_ns},
        {"completion_ns", &k->completion_ns}, {"kthread_park_ns", &k->kthread_park_ns},
        {"stop_machine_sync_ns", &k->stop_machine_sync_ns}, {"cpu_disable_ns", &k->cpu_disable_ns},
        {"per_irq_migrate_ns", &k->per_irq_migrate_ns}, {"tick_handover_ns", &k->tick_handover_ns},
        {"ipi_ns", &k->ipi_ns}, {"cpu_die_poll_ns", &k->cpu_die_poll_ns},
        {"init_sipi_ns", &k->init_sipi_ns}, {"ap_cpu_init_ns", &k->ap_cpu_init_ns},
        {"service_poll_ns", &k->service_poll_ns}};
    for (const auto& kv : n) {
        const std::string key = kv.first.Scalar();
        bool known = false;
        for (auto& f : fields)
            if (key == f.key) {
                known = true;
                if (!get_u64(c, n, f.key, f.dst, err, "costs."))
                    return false;
            }
        if (!known) {
            *err = c.fail(kv.first, "costs." + key, "unknown cost");
            return false;
        }
    }
    if (k->cpu_die_poll_ns == 0 || k->service_poll_ns == 0) {
        *err = c.fail(n, "costs", "cpu_die_poll_ns and service_poll_ns must be > 0 (they are loop periods)");
        return false;
    }
    return true;
}

bool load_state(const Ctx& c, const YAML::Node& n, const CpuhpAnchors& a, CpuhpState* s, std::string* err)
{
    const std::string where = "states[].";
    if (!n.IsMap()) {
        *err = c.fail(n, "states[]", "expected a map {step:, name:, section:, ...}");
        return false;
    }
    s->line = n.Mark().line + 1;
    if (!get_int(c, n, "step", &s->step, err, where, true))
        return false;
    const std::string at = fmt::format("states[step {}].", s->step);
    for (const auto& kv : n) {
        static const char* known[] = {"step", "name", "enum", "section", "startup", "teardown",
                                      "instances", "cant_stop", "startup_ns", "teardown_ns"};
        bool ok = false;
        for (const char* k : known)
            ok |= kv.first.Scalar() == k;
        if (!ok) {
            *err = c.fail(kv.first, at + kv.first.Scalar(), "unknown field");
            return false;
        }
    }
    if (!n["name"] || n["name"].Scalar().empty()) {
        *err = c.fail(n, at + "name", "missing");
        return false;
    }
    s->name = n["name"].Scalar();
    if (n["enum"]) s->enum_name = n["enum"].Scalar();
    if (n["startup"]) s->startup = n["startup"].Scalar();
    if (n["teardown"]) s->teardown = n["teardown"].Scalar();
    if (!n["section"] || !parse_section(n["section"].Scalar(), &s->section)) {
        *err = c.fail(n, at + "section", "expected prepare, starting or online");
        return false;
    }
    if (s->step < a.offline || s->step > a.online) {
        *err = c.fail(n, at + "step", fmt::format("outside {}..{}", a.offline, a.online));
        return false;
    }
    if (s->section != expected_section(a, s->step)) {
        *err = c.fail(n["section"], at + "section",
                      fmt::format("step {} lies in the {} section by the anchors", s->step,
                                  section_name(expected_section(a, s->step))));
        return false;
    }
    if (!get_int(c, n, "instances", &s->instances, err, at, false))
        return false;
    if (n["instances"] && s->instances < 0) {
        *err = c.fail(n["instances"], at + "instances", "must be >= 0");
        return false;
    }
    if (n["cant_stop"]) {
        try {
            s->cant_stop = n["cant_stop"].as<bool>();
        } catch (const YAML::Exception&) {
            *err = c.fail(n["cant_stop"], at + "cant_stop", "expected true or false");
            return false;
        }
    }
    return get_u64(c, n, "startup_ns", &s->startup_ns, err, at) &&
           get_u64(c, n, "teardown_ns", &s->teardown_ns, err, at);
}

} // namespace

bool load_cpuhp_table(const std::string& path, CpuhpTable* out, std::string* error)
{
    YAML::Node root;
    if (!load_yaml_file(path, &root, error))
        return false;
    const Ctx c{path};
    CpuhpTable t;
    t.file = path;
    if (!root.IsMap()) {
        *error = path + ": expected a map with kernel:, anchors:, states:";
        return false;
    }
    t.kernel = root["kernel"] ? root["kernel"].Scalar() : "";
    if (!load_anchors(c, root["anchors"], &t.anchors, error) || !load_costs(c, root["costs"], &t.costs, error))
        return false;
    const YAML::Node states = root["states"];
    if (!states || !states.IsSequence() || states.size() == 0) {
        *error = path + ": states: missing or empty";
        return false;
    }
    int prev = -1;
    for (const auto& n : states) {
        CpuhpState s;
        if (!load_state(c, n, t.anchors, &s, error))
            return false;
        if (s.step <= prev) {
            *error = c.fail(n, fmt::format("states[step {}].step", s.step),
                            fmt::format("steps must be strictly increasing (previous {})", prev));
            return false;
        }
        prev = s.step;
        t.states.emplace(s.step, s);
    }
    for (int must : {t.anchors.offline, t.anchors.bringup_cpu, t.anchors.teardown_cpu, t.anchors.online})
        if (!t.find(must)) {
            *error = fmt::format("{}: states: step {} (an anchor the state machine needs) is missing", path, must);
            return false;
        }
    if (t.find(t.anchors.bringup_cpu)->startup.empty() || t.find(t.anchors.teardown_cpu)->teardown.empty()) {
        *error = fmt::format("{}: states: cpu:bringup needs a startup and cpu:teardown a teardown callback", path);
        return false;
    }
    *out = std::move(t);
    return true;
}

std::string cpuhp_table_path(const std::string& name_or_path)
{
    if (std::filesystem::exists(name_or_path))
        return name_or_path;
    return std::string(OFFSCHED_DATA_DIR) + "/cpuhp/" + name_or_path + ".yaml";
}

} // namespace offsched::sim::hotplug
