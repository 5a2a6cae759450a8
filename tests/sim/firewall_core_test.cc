// The firewall service from the registry, running on offloaded cores of the model.
#include "tests/sim/sim_fixture.h"

using namespace simtest;

TEST_CASE("firewall on two offloaded cores answers the flood itself and hands only clients to the OS")
{
    const SimParams p = short_params(1500000000, 200000000, 1000000000, 14880000);
    auto r = run({offsched_design(p, {2, 3})});
    const DesignResult& d = r[0];
    INFO(to_json(d).dump(1));
    const uint64_t answered = value_of(d.flood_fate, "service_answered");
    CHECK(answered > d.flood_offered * 99 / 100);
    CHECK(value_of(d.flood_fate, "os_syn_cookie") == 0);
    CHECK(value_of(d.flood_fate, "os_request_sock") == 0);
    CHECK(value_of(d.flood_fate, "nic_ring_full") == 0);
    CHECK(value_of(d.service_stats, "cookies_sent") >= answered);
    CHECK(d.legit_success_ppm == 1000000);
    // Offloaded cores only run the service; OS cores take no NIC interrupts, only doorbells/ticks.
    for (const CoreUsage& u : d.cores) {
        if (u.role == "os") {
            CHECK(u.cycles[static_cast<uint32_t>(CpuMode::Service)] == 0);
            CHECK(u.cycles[static_cast<uint32_t>(CpuMode::Idle)] > u.cycles[static_cast<uint32_t>(CpuMode::Softirq)]);
        } else {
            CHECK(u.role == "service:firewall");
            CHECK(u.cycles[static_cast<uint32_t>(CpuMode::Hardirq)] == 0);
            CHECK(u.cycles[static_cast<uint32_t>(CpuMode::Service)] > 0);
        }
    }
}

TEST_CASE("a design that offloads every core or a core that does not exist is rejected with the field named")
{
    SimParams p = default_params();
    p.run.duration_ns = 1000000;
    Scenario s;
    s.designs.push_back(offsched_design(p, {0, 1, 2, 3}, "all"));
    std::vector<DesignResult> out;
    std::string err;
    CHECK_FALSE(simulate(s, &out, &err));
    CHECK_THAT(err, Catch::Contains("design 0 'all'") && Catch::Contains("no core for the OS"));
    s.designs[0] = offsched_design(p, {7}, "bad");
    CHECK_FALSE(simulate(s, &out, &err));
    CHECK_THAT(err, Catch::Contains("offload_cores[0] = 7"));
}

TEST_CASE("skipping empty polls of the firewall changes nothing but the simulator's speed")
{
    const SimParams p = short_params(300000000, 50000000, 200000000, 300000);
    SimParams q = p;
    q.offload.idle_skip = 0;
    auto r = run({offsched_design(p, {2, 3}, "x"), offsched_design(q, {2, 3}, "x")});
    CHECK(r[0].legit_established > 0);
    CHECK(to_json(r[0]).dump() == to_json(r[1]).dump());
}
