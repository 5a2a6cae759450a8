// run.step_batching is a simulator-speed setting: an offload core runs its next step in the same
// SystemC activation when no other process can act before that step starts. The promise checked
// here on the shipped scenarios: results do not change. timer_jitter.yaml is the documented
// exception (docs/MODEL.md, "Step batching"): its timer figures do not change, but a few
// thousand of core 0's cycles move between softirq and ksoftirqd.
#include <catch2/catch.hpp>

#include "backends/sim/simulate.h"
#include "tools/lib/scenario_loader.h"

using namespace offsched;

namespace {

std::vector<sim::DesignResult> run(const std::string& file, std::vector<tools::ParamOverride> sets, bool batching)
{
    sets.push_back({"run.step_batching", batching ? "1" : "0"});
    const sim::Scenario s = tools::load_scenario(std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/" + file, sets);
    std::vector<sim::DesignResult> out;
    std::string error;
    INFO(error);
    REQUIRE(sim::simulate(s, &out, &error));
    return out;
}

std::string results_json(const std::vector<sim::DesignResult>& rs)
{
    std::string all;
    for (const auto& r : rs) all += sim::to_json(r).dump() + "\n";
    return all;
}

} // namespace

TEST_CASE("step batching changes no result of syn_flood.yaml")
{
    // Short, but long enough for the flood, ssh attempts, passed frames and doorbells.
    const std::vector<tools::ParamOverride> sets = {
        {"run.duration_ns", "300ms"}, {"run.warmup_ns", "50ms"}, {"legit.connect_timeout_ns", "100ms"}};
    const auto off = run("syn_flood.yaml", sets, false);
    const auto on = run("syn_flood.yaml", sets, true);
    REQUIRE(off.size() == 2);
    CHECK(off[1].legit_established > 0); // the offsched design passed ssh frames up to the OS
    CHECK(results_json(on) == results_json(off));
}

TEST_CASE("step batching changes no result of rt_deadlines.yaml and xdp_dos.yaml")
{
    for (const char* file : {"rt_deadlines.yaml", "xdp_dos.yaml"}) {
        INFO(file);
        CHECK(results_json(run(file, {}, true)) == results_json(run(file, {}, false)));
    }
}

TEST_CASE("step batching leaves timer_jitter.yaml's firing errors unchanged")
{
    const auto off = run("timer_jitter.yaml", {}, false);
    const auto on = run("timer_jitter.yaml", {}, true);
    REQUIRE(off.size() == on.size());
    for (size_t i = 0; i < off.size(); ++i) {
        INFO(off[i].design);
        CHECK(on[i].timer_samples == off[i].timer_samples);
        CHECK(on[i].timer_err_p50_ns == off[i].timer_err_p50_ns);
        CHECK(on[i].timer_err_p99_ns == off[i].timer_err_p99_ns);
        CHECK(on[i].timer_err_max_ns == off[i].timer_err_max_ns);
    }
}
