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

namespace {
// A service that takes every frame and reports its verdicts well or badly, by config mode.
enum class Report : u32 { Honest, None, Twice, FalsePass };
class VerdictProbe final : public Service {
public:
    VerdictProbe(const ServiceEnv& env, Report r) : env_(env), report_(r) {}
    const char* name() const override { return "verdict_probe"; }
    StepResult step(u32 budget) override
    {
        StepResult r;
        for (u32 q = 0; q < env_.queue_count; ++q) {
            Frame f[32];
            const u32 n = env_.queues[q]->rx_burst(f, budget < 32 ? budget : 32);
            for (u32 i = 0; i < n; ++i) {
                if (report_ == Report::None) continue;
                env_.queues[q]->verdict(f[i], report_ == Report::FalsePass ? Verdict::Pass : Verdict::Drop);
                if (report_ == Report::Twice) env_.queues[q]->verdict(f[i], Verdict::Drop);
            }
            r.packets += n;
        }
        return r;
    }
    u32 stat_count() const override { return 0; }
    const StatDesc& stat_desc(u32) const override { static const StatDesc d{}; return d; }
    u64 stat_value(u32) const override { return 0; }

private:
    ServiceEnv env_;
    Report report_;
};

const ServiceKind kVerdictProbe = [] {
    ServiceKind k{};
    k.name = "verdict_probe";
    k.summary = "takes every frame; reports verdicts as its config says";
    k.config_size = sizeof(Report);
    k.object_size = sizeof(VerdictProbe);
    k.object_align = alignof(VerdictProbe);
    k.defaults = [](void* c) { *static_cast<Report*>(c) = Report::Honest; };
    k.validate = [](const void*, ConfigError*) { return true; };
    k.needs = [](const void*) { return ServiceNeeds{}; };
    k.create = [](void* storage, const ServiceEnv& env, const void* c) -> Service* {
        return new (storage) VerdictProbe(env, *static_cast<const Report*>(c));
    };
    return k;
}();

Design probe_design(const SimParams& p, Report r)
{
    Design d = offsched_design(p, {2, 3}, "probe");
    d.service = &kVerdictProbe;
    d.service_config.assign(sizeof r, 0);
    std::memcpy(d.service_config.data(), &r, sizeof r);
    return d;
}
} // namespace

TEST_CASE("the ledger books the verdicts services report, and a service that misreports fails the run")
{
    const SimParams p = short_params(20000000, 0, 10000000, 1000000);
    const DesignResult d = run({probe_design(p, Report::Honest)})[0];
    const uint64_t dropped = value_of(d.flood_fate, "service_dropped");
    CHECK(dropped > 10000);
    CHECK(dropped + value_of(d.flood_fate, "in_nic_ring") + value_of(d.flood_fate, "nic_ring_full") == d.flood_offered);
    CHECK(value_of(d.drops, "service") >= dropped);

    const std::pair<Report, const char*> bad[] = {
        {Report::None, "reported no verdict"},
        {Report::Twice, "did not take or had decided already"},
        {Report::FalsePass, "flood frames passed to the host, but the host path saw 0"},
    };
    for (const auto& [report, says] : bad) {
        Scenario s;
        s.name = "test";
        s.designs.push_back(probe_design(p, report));
        std::vector<DesignResult> out;
        std::string err;
        CHECK_FALSE(simulate(s, &out, &err));
        CHECK_THAT(err, Catch::Contains("service 'verdict_probe'") && Catch::Contains(says));
    }
}
