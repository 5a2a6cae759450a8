// The promise of scenarios/syn_flood.yaml, checked on the shipped file with the real SystemC
// model: under the flood the stock host stops answering ssh while the offsched host does not, and
// without the flood both answer.
#include <catch2/catch.hpp>

#include <filesystem>

#include "backends/sim/hotplug/hotplug_scenario.h"
#include "backends/sim/simulate.h"
#include "tools/lib/scenario_loader.h"

using namespace offsched;

namespace {

const std::string kSynFlood = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/syn_flood.yaml";

std::vector<sim::DesignResult> run(const std::vector<tools::ParamOverride>& sets)
{
    const sim::Scenario s = tools::load_scenario(kSynFlood, sets);
    std::vector<sim::DesignResult> out;
    std::string error;
    INFO(error);
    REQUIRE(sim::simulate(s, &out, &error));
    REQUIRE(out.size() == 2);
    REQUIRE(out[0].design == "baseline");
    REQUIRE(out[1].design == "offsched");
    return out;
}

} // namespace

TEST_CASE("syn_flood.yaml: the flood makes the stock host unreachable, offsched keeps it reachable")
{
    const auto r = run({});
    INFO("baseline " << r[0].legit_established << "/" << r[0].legit_attempts << ", offsched "
                     << r[1].legit_established << "/" << r[1].legit_attempts);
    REQUIRE(r[0].legit_attempts >= 400); // 1000 conn/s over the counted window
    CHECK(r[0].legit_success_ppm < 500000);
    CHECK(r[1].legit_success_ppm >= 990000);
    // The flood reached the NIC in every design: the difference is where it died.
    CHECK(r[0].flood_offered == r[1].flood_offered);
    CHECK(r[0].flood_offered > 0);
}

TEST_CASE("syn_flood.yaml with the flood off: both designs answer nearly every connection")
{
    const auto r = run({{"flood.rate_pps", "0"}});
    for (const auto& d : r) {
        INFO(d.design << ": " << d.legit_established << "/" << d.legit_attempts);
        CHECK(d.flood_offered == 0);
        CHECK(d.legit_success_ppm >= 990000);
    }
}

TEST_CASE("every shipped scenario loads")
{
    size_t packet_scenarios = 0;
    for (const auto& e : std::filesystem::directory_iterator(std::string(OFFSCHED_SOURCE_DIR) + "/scenarios")) {
        if (e.path().extension() != ".yaml") continue;
        INFO(e.path().string());
        if (sim::hotplug::is_hotplug_scenario(e.path().string())) {
            sim::hotplug::HotplugScenario h;
            std::string error;
            CHECK(sim::hotplug::load_hotplug_scenario(e.path().string(), &h, &error));
            continue;
        }
        const sim::Scenario s = tools::load_scenario(e.path().string());
        CHECK_FALSE(s.designs.empty());
        ++packet_scenarios;
    }
    CHECK(packet_scenarios >= 1);
}
