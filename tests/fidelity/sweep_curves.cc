#include "tests/fidelity/sweep_curves.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "backends/sim/run/simulate.h"
#include "tools/lib/scenario_loader.h"

namespace offsched::fidelity {

std::vector<sim::DesignResult> run_scenario(const std::string& file, const std::vector<std::string>& sets,
                                            const std::string& design)
{
    std::vector<tools::ParamOverride> overrides;
    for (const std::string& s : sets) overrides.push_back(tools::parse_override(s));
    sim::Scenario sc = tools::load_scenario(std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/" + file, overrides);
    if (!design.empty()) std::erase_if(sc.designs, [&](const sim::Design& d) { return d.name != design; });
    if (sc.designs.empty()) throw std::runtime_error(file + ": no design " + design);
    std::vector<sim::DesignResult> out;
    std::string error;
    if (!sim::simulate(sc, &out, &error)) throw std::runtime_error(file + ": " + error);
    return out;
}

std::map<std::string, Curve> sweep(const std::string& file, const std::string& key, const std::vector<uint64_t>& values,
                                   const std::vector<std::string>& extra_sets)
{
    std::map<std::string, Curve> curves;
    for (uint64_t v : values) {
        std::vector<std::string> sets{fmt::format("{}={}", key, v)};
        sets.insert(sets.end(), extra_sets.begin(), extra_sets.end());
        for (const sim::DesignResult& r : run_scenario(file, sets)) {
            Curve& c = curves[r.design];
            c.input.push_back(v);
            c.output.push_back(r.app_output_pps);
            c.lost.push_back(r.app_socket_drops);
            c.transactions.push_back(r.legit_per_s);
        }
    }
    return curves;
}

size_t peak_index(const Curve& c)
{
    return static_cast<size_t>(std::max_element(c.output.begin(), c.output.end()) - c.output.begin());
}

bool rises_until(const Curve& c, size_t end)
{
    for (size_t i = 1; i < end && i < c.output.size(); ++i)
        if (c.output[i] <= c.output[i - 1]) return false;
    return true;
}

uint64_t min_after_ppm(const Curve& c, size_t i)
{
    if (c.output[i] == 0) return 0;
    uint64_t m = c.output[i];
    for (size_t k = i + 1; k < c.output.size(); ++k) m = std::min(m, c.output[k]);
    return m * 1000000 / c.output[i];
}

std::string table(const std::string& key, const std::map<std::string, Curve>& curves, std::vector<uint64_t> Curve::*field)
{
    std::string t = "| " + key;
    for (const auto& [name, c] : curves) t += " | " + name;
    t += " |\n";
    const size_t n = curves.empty() ? 0 : curves.begin()->second.input.size();
    for (size_t i = 0; i < n; ++i) {
        t += fmt::format("| {}", curves.begin()->second.input[i]);
        for (const auto& [name, c] : curves) t += fmt::format(" | {}", (c.*field)[i]);
        t += " |\n";
    }
    return t;
}

} // namespace offsched::fidelity
