// Result JSON: integers only, fixed key order, lossless round trip; parameter tables complete.
#include <set>
#include <string>

#include "backends/sim/run/params.h"
#include "backends/sim/run/result.h"
#include "tests/sim/sim_fixture.h"

using namespace offsched::sim;

TEST_CASE("DesignResult survives a JSON round trip byte for byte")
{
    DesignResult r;
    r.design = "x";
    r.sim_ns = 123;
    r.legit_attempts = 7;
    r.flood_fate = {{"b", 2}, {"a", 1}};
    r.drops = {{"nic_ring_full", 5}};
    CoreUsage u;
    u.core = 3;
    u.role = "service:firewall";
    u.cycles[static_cast<uint32_t>(CpuMode::Service)] = 99;
    r.cores.push_back(u);
    r.service_stats = {{"rx", 4}};
    const std::string a = to_json(r).dump();
    CHECK(to_json(design_result_from_json(nlohmann::ordered_json::parse(a))).dump() == a);
    CHECK(a.find('.') == std::string::npos); // no floating point anywhere
    CHECK(a.find("\"b\":2,\"a\":1") != std::string::npos); // insertion order kept
}

TEST_CASE("every parameter has a unit-bearing schema row with help and a source, and defaults in range")
{
    uint32_t n = 0;
    const ParamSection* secs = param_sections(&n);
    REQUIRE(n >= 8); // run .. background, then the workloads' sections (os_rt, timers, rt_tasks, ...)
    const SimParams d = default_params();
    std::set<std::string> names;
    for (uint32_t i = 0; i < n; ++i) {
        CHECK(names.insert(secs[i].name).second);
        for (uint32_t f = 0; f < secs[i].schema.count; ++f) {
            const offsched::FieldDesc& fd = secs[i].schema.fields[f];
            INFO(secs[i].name << "." << fd.name);
            CHECK(std::string(fd.help).size() > 5);
            CHECK(std::string(fd.source).size() > 3);
        }
        const void* base = reinterpret_cast<const uint8_t*>(&d) + secs[i].offset;
        CHECK(offsched::schema_check_ranges(secs[i].schema, base, nullptr) == nullptr);
    }
    CHECK(d.machine.cores == 4);
    CHECK(d.machine.freq_mhz == 3000);
    CHECK(d.nic.queues == 4);
    CHECK(d.os.napi_budget == 64);
    CHECK(d.os.softirq_max_restart == 10);
}
