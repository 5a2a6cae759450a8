// scenarios/rtop_flood.yaml on the real SystemC model: the flooded host stays out of ssh reach
// in every design while rtop on an offloaded core keeps reporting; an OS agent keeps up under
// NAPI but starves on a livelocking receive path, where rtop's figures go stale and say so.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "backends/sim/run/simulate.h"
#include "tests/scenarios/sim_cli.h"
#include "tests/sim/simulate_checked.h"
#include "tools/lib/scenario_loader.h"

using namespace offsched;

namespace {

const std::string kScenario = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/rtop_flood.yaml";

std::vector<sim::DesignResult> run(const std::vector<tools::ParamOverride>& sets, const std::vector<std::string>& only = {})
{
    sim::Scenario s = tools::load_scenario(kScenario, sets);
    if (!only.empty())
        std::erase_if(s.designs, [&](const sim::Design& d) { return std::find(only.begin(), only.end(), d.name) == only.end(); });
    return sim::simulate_checked(s);
}

const sim::DesignResult& design(const std::vector<sim::DesignResult>& rs, const std::string& name)
{
    for (const auto& r : rs)
        if (r.design == name) return r;
    FAIL("no design " << name);
    return rs.front();
}

uint64_t u(const nlohmann::ordered_json& j, const char* k) { return j.at(k).get<uint64_t>(); }

uint64_t service_stat(const sim::DesignResult& r, const std::string& name)
{
    for (const auto& [k, v] : r.service_stats)
        if (k == name) return v;
    return 0;
}

std::string run_cli(const std::string& args)
{
    const test::SimOutcome o = test::run_sim(kScenario + " " + args + " 2>/dev/null");
    REQUIRE(o.exit_code == 0);
    return o.out;
}

} // namespace

TEST_CASE("rtop_flood.yaml: ssh is out of reach in every design, rtop reports at its interval")
{
    const auto rs = run({}); // 4 s: ssh attempts need their 3 s connect timeout to be counted
    REQUIRE(rs.size() == 4);
    for (const auto& r : rs) {
        INFO(r.design);
        CHECK(r.legit_attempts >= 400);
        CHECK(r.legit_success_ppm < 500000); // no design filters the flood
        REQUIRE_FALSE(r.remote_view.is_null());
        CHECK(u(r.remote_view, "expected_samples") == 35);
        CHECK(u(r.remote_view.at("collector"), "garbage") == 0);
        CHECK(u(r.remote_view.at("collector"), "lost") == 0);
    }

    // rtop on core 3: every interval, fresh figures (at most one publish period plus the
    // kworker's wait old), every datagram the service sent arrived and decoded.
    const auto& o = design(rs, "offsched").remote_view;
    const uint64_t interval = u(o, "interval_ns");
    CHECK(u(o, "samples") == 35);
    CHECK(u(o, "max_gap_ns") <= interval + 1000000);
    const auto& pub = o.at("publisher");
    CHECK(u(o, "max_age_ns") <= u(pub, "period_ns") + u(pub, "max_delay_ns") + 1000000);
    CHECK(u(pub, "runs") >= 4000000000 / u(pub, "period_ns") * 9 / 10);
    CHECK(u(o.at("collector"), "datagrams") == service_stat(design(rs, "offsched"), "datagrams_sent"));
    const auto& cpus = o.at("last_sample");
    REQUIRE(cpus.size() == 4);
    for (int c = 0; c < 3; ++c) { // OS cores: the flood's softirq work, as the OS accounts it
        INFO("cpu " << c);
        REQUIRE(cpus[c].at("moved").get<bool>());
        CHECK(u(cpus[c], "softirq_ppm") > 900000);
    }
    CHECK_FALSE(cpus[3].at("moved").get<bool>()); // the offloaded core: the OS accounts it no more

    // The stock agent under NAPI: ksoftirqd is a CFS task, so the woken agent gets the CPU.
    const auto& a = design(rs, "baseline").remote_view;
    CHECK(u(a, "samples") >= 34);
    CHECK(u(a, "max_gap_ns") <= 2 * interval);

    // A receive path that livelocks: the agent never runs again; rtop still sends every
    // interval, but the publisher starved too, so the figures are as old as the run.
    const auto& al = design(rs, "agent_livelock").remote_view;
    CHECK(u(al, "samples") == 0);
    CHECK(u(al, "max_gap_ns") == 3500000000);
    const auto& rl = design(rs, "rtop_livelock").remote_view;
    CHECK(u(rl, "samples") == 35);
    CHECK(u(rl.at("publisher"), "runs") == 0);
    CHECK(u(rl, "max_age_ns") >= 3800000000);
    CHECK(u(rl, "max_unchanged_ns") >= 3800000000); // every sample the same: the admin sees it stand still
    CHECK(u(o, "max_unchanged_ns") == 0);            // a live publisher moves the counters every sample
    for (const auto& c : rl.at("last_sample")) CHECK_FALSE(c.at("moved").get<bool>());
}

TEST_CASE("rtop_flood.yaml without the flood: rtop's figures are the model's own accounting")
{
    // Only the background traffic (steady): the last interval's shares match the whole run's.
    const auto rs = run({{"run.duration_ns", "1s"}, {"flood.rate_pps", "0"}}, {"offsched"});
    const auto& cpus = rs.at(0).remote_view.at("last_sample");
    for (int c = 0; c < 3; ++c) {
        INFO("cpu " << c);
        REQUIRE(cpus[c].at("moved").get<bool>());
        const auto& cyc = rs.at(0).cores.at(c).cycles;
        uint64_t total = 0;
        for (uint64_t v : cyc) total += v;
        const uint64_t idle_ppm = cyc[static_cast<uint32_t>(sim::CpuMode::Idle)] * 1000000 / total;
        CHECK(u(cpus[c], "idle_ppm") > 900000);
        CHECK(u(cpus[c], "idle_ppm") + 10000 > idle_ppm);
        CHECK(u(cpus[c], "idle_ppm") < idle_ppm + 10000);
    }
    CHECK(u(rs.at(0).remote_view, "max_age_ns") <= 21000000);
}

TEST_CASE("rtop_flood.yaml: the verdicts in the table, and byte-identical --json for one seed")
{
    const std::string json1 = "rtop_flood_1.json", json2 = "rtop_flood_2.json";
    run_cli("--set run.duration_ns=1s --json " + json1);
    run_cli("--set run.duration_ns=1s --json " + json2);
    std::ifstream f1(json1), f2(json2);
    std::stringstream a, b;
    a << f1.rdbuf();
    b << f2.rdbuf();
    CHECK(a.str().find("\"rtop\"") != std::string::npos);
    CHECK(a.str() == b.str());

    const std::string out = run_cli("");
    CHECK(out.find("Could the admin ssh in?") != std::string::npos);
    CHECK(out.find("Could the admin see the host's state?\n"
                   "  baseline        yes    35/35 samples from the os agent") != std::string::npos);
    CHECK(out.find("  offsched        yes    35/35 samples from the rtop service") != std::string::npos);
    CHECK(out.find("  agent_livelock  NO     0/35 samples") != std::string::npos);
    CHECK(out.find("  rtop_livelock   STALE  35/35 samples from the rtop service") != std::string::npos);
}
