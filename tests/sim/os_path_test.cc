// The OS receive path on a whole machine: NAPI budget, __do_softirq's restart/time limits and the
// fall back to ksoftirqd, the listener's SYN backlog and cookies.
#include "backends/sim/machine/machine.h"
#include "tests/sim/in_child.h"
#include "tests/sim/sim_fixture.h"

using namespace simtest;

namespace {

// Runs a one-design scenario in a child and reports the OS cores' counters.
nlohmann::json run_machine(const Design& d)
{
    return in_child([d] {
        Scenario s;
        s.designs.push_back(d);
        Machine m(s, 0);
        m.run();
        nlohmann::json cores = nlohmann::json::array();
        for (uint32_t c = 0; c < d.params.machine.cores; ++c) {
            const OsCore* oc = m.os_core(c);
            if (!oc) continue;
            const OsCoreStats& st = oc->stats();
            cores.push_back({{"core", c}, {"polls", st.napi_polls}, {"packets", st.packets}, {"frames", st.softirq_frames + st.ksoftirqd_frames},
                             {"restarts", st.softirq_restarts}, {"ksoftirqd_wakeups", st.ksoftirqd_wakeups},
                             {"hardirqs", st.hardirqs}, {"ticks", st.ticks}, {"accepts", st.accepts}});
        }
        const DesignResult r = m.result();
        nlohmann::json usage = nlohmann::json::array();
        for (const CoreUsage& u : r.cores) {
            nlohmann::json cyc = nlohmann::json::array();
            for (uint64_t v : u.cycles) cyc.push_back(v);
            usage.push_back(cyc);
        }
        return nlohmann::json{{"cores", cores}, {"usage", usage}, {"result", to_json(r)},
                              {"reqsk", m.listener().request_socks()}, {"cookies", m.listener().cookies_sent()}};
    });
}

uint64_t mode(const nlohmann::json& j, size_t core, CpuMode m) { return j["usage"][core][static_cast<size_t>(m)]; }

SimParams short_run(uint64_t flood_pps) // 200 ms
{
    return short_params(200000000, 0, default_params().legit.connect_timeout_ns, flood_pps);
}

} // namespace

TEST_CASE("NAPI polls never take more than the budget")
{
    for (uint32_t budget : {64u, 8u}) {
        SimParams p = short_run(14880000);
        p.os.napi_budget = budget;
        auto j = run_machine(baseline(p));
        for (const auto& c : j["cores"]) {
            INFO("budget " << budget << " core " << c["core"]);
            CHECK(c["packets"].get<uint64_t>() <= c["polls"].get<uint64_t>() * budget);
            // Under a flood almost every poll is full.
            CHECK(c["packets"].get<uint64_t>() > c["polls"].get<uint64_t>() * budget * 9 / 10);
        }
    }
}

TEST_CASE("light load is handled in softirq after the hardirq, a flood exhausts the restarts and moves to ksoftirqd")
{
    auto light = run_machine(baseline(short_run(20000)));
    for (size_t c = 0; c < 4; ++c) {
        CHECK(mode(light, c, CpuMode::Softirq) > 0);
        CHECK(mode(light, c, CpuMode::Ksoftirqd) == 0);
        CHECK(light["cores"][c]["ksoftirqd_wakeups"] == 0);
    }
    auto flood = run_machine(baseline(short_run(14880000)));
    for (size_t c = 0; c < 4; ++c) {
        CHECK(flood["cores"][c]["ksoftirqd_wakeups"].get<uint64_t>() > 0);
        CHECK(mode(flood, c, CpuMode::Ksoftirqd) > 10 * mode(flood, c, CpuMode::Softirq));
        // One __do_softirq never runs more than MAX_SOFTIRQ_RESTART rounds.
        CHECK(flood["cores"][c]["restarts"].get<uint64_t>() <= flood["cores"][c]["frames"].get<uint64_t>() * 9);
        CHECK(mode(flood, c, CpuMode::Idle) < mode(flood, c, CpuMode::Ksoftirqd) / 100);
    }
}

TEST_CASE("without the restart and time limits the flood never reaches ksoftirqd")
{
    // No task ever wants the CPU (no clients, no background), so need_resched never ends a
    // __do_softirq early: only MAX_SOFTIRQ_RESTART / MAX_SOFTIRQ_TIME hand work to ksoftirqd.
    SimParams p = short_run(14880000);
    p.legit.connect_rate = 0;
    p.background.rate_pps = 0;
    auto limited = run_machine(baseline(p));
    p.os.softirq_max_restart = 1000; // 1000 rounds of 300 packets outlast the 200 ms run
    p.os.softirq_max_ns = 1000000000;
    auto unlimited = run_machine(baseline(p));
    for (size_t c = 0; c < 4; ++c) {
        CHECK(mode(limited, c, CpuMode::Ksoftirqd) > mode(limited, c, CpuMode::Softirq));
        CHECK(mode(unlimited, c, CpuMode::Ksoftirqd) == 0);
        CHECK(mode(unlimited, c, CpuMode::Softirq) > 0);
        CHECK(unlimited["cores"][c]["ksoftirqd_wakeups"] == 0);
    }
}

TEST_CASE("the SYN backlog fills with flood request socks, then the listener answers with cookies")
{
    auto j = run_machine(baseline(short_run(1000000)));
    const auto& fate = j["result"]["flood_fate"];
    CHECK(j["reqsk"] == 128);
    CHECK(fate["os_request_sock"] == 128);
    CHECK(fate["os_syn_cookie"].get<uint64_t>() > 150000);
    SimParams p = short_run(1000000);
    p.os.syncookies = 0;
    auto nc = run_machine(baseline(p));
    CHECK(nc["result"]["flood_fate"]["os_syn_cookie"] == 0);
    CHECK(nc["result"]["drops"]["syn_no_cookie"].get<uint64_t>() > 150000);
    // Legit SYNs find the backlog full too: nobody gets in.
    CHECK(nc["result"]["legit_established"] == 0);
}

TEST_CASE("every flood packet ends in exactly one fate bucket")
{
    for (bool off : {false, true}) {
        SimParams p = short_run(14880000);
        auto j = run_machine(off ? offsched_design(p, {2, 3}) : baseline(p));
        uint64_t sum = 0;
        for (auto& [k, v] : j["result"]["flood_fate"].items()) sum += v.get<uint64_t>();
        INFO(j["result"].dump());
        CHECK(sum == j["result"]["flood_offered"].get<uint64_t>());
        CHECK(sum > 2900000);
    }
}
