// hotplug_model_dump states TABLE            -> "%3d: name" lines, as /sys/.../hotplug/states
// hotplug_model_dump trace SCENARIO          -> the model's traced cpuhp events, one per line
// hotplug_model_dump compare SCENARIO TRACE [TABLE] -> compares them with a real kernel trace
//                                             (TABLE overrides the scenario's hotplug.kernel)
// hotplug_model_dump explain SCENARIO        -> the --explain text
// hotplug_model_dump registered SCENARIO     -> "%3d: name" of states the run registers (offsched)
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "backends/sim/hotplug/explain.h"

using namespace offsched::sim::hotplug;

namespace {

bool model_records(const std::string& scenario, const std::string& table, std::vector<CpuhpRecord>* out,
                   std::string* err)
{
    HotplugScenario s;
    HotplugResult r;
    if (!load_hotplug_scenario(scenario, &s, err))
        return false;
    if (!table.empty() && !load_cpuhp_table(cpuhp_table_path(table), &s.table, err))
        return false;
    if (!run_hotplug(s.table, s.run, &r, err))
        return false;
    *out = cpuhp_records(r.events);
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    const std::string cmd = argc > 1 ? argv[1] : "";
    std::string err;
    if (cmd == "states" && argc == 3) {
        CpuhpTable t;
        if (!load_cpuhp_table(cpuhp_table_path(argv[2]), &t, &err)) {
            std::cerr << err << "\n";
            return 2;
        }
        for (const auto& [step, s] : t.states)
            std::cout << fmt::format("{:3d}: {}\n", step, s.name);
        return 0;
    }
    if (cmd == "trace" && argc == 3) {
        std::vector<CpuhpRecord> recs;
        if (!model_records(argv[2], "", &recs, &err)) {
            std::cerr << err << "\n";
            return 2;
        }
        for (const auto& r : recs)
            std::cout << format_record(r) << "\n";
        return 0;
    }
    if (cmd == "compare" && (argc == 4 || argc == 5)) {
        std::vector<CpuhpRecord> model, real;
        if (!model_records(argv[2], argc == 5 ? argv[4] : "", &model, &err)) {
            std::cerr << err << "\n";
            return 2;
        }
        std::ifstream f(argv[3]);
        std::stringstream ss;
        ss << f.rdbuf();
        if (!f || !parse_kernel_trace(ss.str(), &real, &err)) {
            std::cerr << (err.empty() ? std::string("cannot read ") + argv[3] : err) << "\n";
            return 2;
        }
        const size_t n = std::max(model.size(), real.size());
        int mismatches = 0;
        for (size_t i = 0; i < n; ++i) {
            const std::string m = i < model.size() ? format_record(model[i]) : "(none)";
            const std::string k = i < real.size() ? format_record(real[i]) : "(none)";
            if (m != k && mismatches++ < 10)
                std::cout << fmt::format("event {}: model  {}\n{:>{}}kernel {}\n", i, m, "", 7 + std::to_string(i).size() + 2, k);
        }
        std::cout << fmt::format("{} model events, {} kernel events, {} mismatches\n", model.size(), real.size(), mismatches);
        return mismatches == 0 && !real.empty() ? 0 : 1;
    }
    if (cmd == "registered" && argc == 3) {
        HotplugScenario s;
        HotplugResult r;
        if (!load_hotplug_scenario(argv[2], &s, &err) || !run_hotplug(s.table, s.run, &r, &err)) {
            std::cerr << err << "\n";
            return 2;
        }
        for (const auto& st : r.registered)
            std::cout << fmt::format("{:3d}: {}\n", st.step, st.name);
        return 0;
    }
    if (cmd == "explain" && argc == 3) {
        if (!explain_hotplug_file(argv[2], std::cout, &err)) {
            std::cerr << err << "\n";
            return 2;
        }
        return 0;
    }
    std::cerr << "usage: hotplug_model_dump states TABLE | trace SCENARIO | compare SCENARIO TRACE [TABLE] | explain SCENARIO | registered SCENARIO\n";
    return 2;
}
