// offschedctl's reading of /sys/kernel/offsched/ against a fake sysfs tree in a temp dir: service
// counters come out in the module's StatDesc order (cpuN/stat_names), not directory order;
// without stat_names they fall back to sorted; --watch rates skip levels (_ns, _ms, _ppm, _khz).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tools/offschedctl/stats_view.h"
#include "tools/offschedctl/sysfs_status.h"
#include "temp_tree.h"

using namespace offsched::ctl;

namespace {

struct FakeSysfs : offsched::test::TempTree {
    FakeSysfs()
    {
        put("services", "timer 16 timers\n");
        put("nics", "0000:00:05.0 osd0 52:54:00:12:34:56 claimed\n");
    }
    // One attached CPU running a service with these counters (name, value), in this order.
    void cpu(unsigned n, const std::vector<std::pair<std::string, uint64_t>>& stats, bool with_names = true)
    {
        const std::string d = "cpu" + std::to_string(n) + "/";
        put(d + "service", "timer\n");
        put(d + "state", "running\n");
        put(d + "nic", "0000:00:05.0\n");
        put(d + "netdev", "osd0\n");
        put(d + "queue", std::to_string(n - 1) + "\n");
        std::string names;
        for (const auto& [name, v] : stats) {
            put(d + "stats/" + name, std::to_string(v) + "\n");
            names += name + "\n";
        }
        if (with_names) put(d + "stat_names", names);
        put(d + "backend/loop_iterations", "1000\n");
        put(d + "backend/loop_gap_max_ns", "5000\n");
    }
};

std::vector<std::string> names(const Counters& cs)
{
    std::vector<std::string> out;
    for (const auto& [n, v] : cs) out.push_back(n);
    return out;
}

} // namespace

TEST_CASE("service counters follow the module's StatDesc order")
{
    FakeSysfs sys;
    sys.cpu(1, {{"requests", 3}, {"fired", 10}, {"fire_err_0ns", 1}, {"fire_err_1024ns", 2}, {"fire_err_128ns", 4}});
    const ModuleStatus st = read_status(sys.root.string());
    REQUIRE(st.cpus.size() == 1);
    CHECK(names(st.cpus[0].stats) ==
          std::vector<std::string>{"requests", "fired", "fire_err_0ns", "fire_err_1024ns", "fire_err_128ns"});
    CHECK(st.cpus[0].stats[1].second == 10);
    const std::string json = stats_json(st).dump();
    CHECK(json.find("\"requests\":3,\"fired\":10") != std::string::npos);
}

TEST_CASE("without stat_names the counters are sorted by name")
{
    FakeSysfs sys;
    sys.cpu(2, {{"requests", 3}, {"fired", 10}}, false);
    const ModuleStatus st = read_status(sys.root.string());
    REQUIRE(st.cpus.size() == 1);
    CHECK(names(st.cpus[0].stats) == std::vector<std::string>{"fired", "requests"});
}

TEST_CASE("watch rates: counts get a rate, levels do not")
{
    FakeSysfs sys;
    sys.cpu(1, {{"fired", 10}, {"fire_err_max_ns", 900}});
    const ModuleStatus before = read_status(sys.root.string());
    sys.put("cpu1/stats/fired", "1010\n");
    sys.put("cpu1/stats/fire_err_max_ns", "1900\n");
    sys.put("cpu1/stats/rule0_last_hit_ms", "7001\n"); // a moment: no rate either
    const ModuleStatus after = read_status(sys.root.string());
    const std::string table = stats_table(after, &before, 1000);
    INFO(table);
    CHECK(table.find("1000/s") != std::string::npos);                  // fired: +1000 in 1 s
    CHECK(table.find("fire_err_max_ns") != std::string::npos);
    CHECK(table.find("1900\n") != std::string::npos);                  // level row ends without a rate
    CHECK(table.find("7001\n") != std::string::npos);
    CHECK(table.find("loop_gap_max_ns                          5000\n") != std::string::npos);
}

TEST_CASE("status names the queue pair each CPU polls")
{
    FakeSysfs sys;
    sys.cpu(1, {{"fired", 1}});
    sys.cpu(2, {{"fired", 1}});
    const ModuleStatus st = read_status(sys.root.string());
    REQUIRE(st.cpus.size() == 2);
    CHECK(st.cpus[1].nic_summary() == "0000:00:05.0 queue 1 via osd0");
    const std::string table = status_table(st);
    INFO(table);
    CHECK(table.find("2     timer        running    0000:00:05.0   1     osd0") != std::string::npos);
    CHECK(status_json(st).dump().find("\"queue\":\"0\"") != std::string::npos);
}

TEST_CASE("the loop line: real clock and longest gap show a throttled or starved service CPU at once")
{
    FakeSysfs sys;
    sys.cpu(1, {{"fired", 1}});
    sys.put("cpu1/backend/clock_khz", "3000000\n");
    // No effective_khz file: the CPU has no APERF/MPERF (QEMU TCG, most VMs).
    std::string line = loop_health(read_status(sys.root.string()).cpus[0]);
    CHECK(line == "clock 3000 MHz (TSC); its real rate is not measurable here (no APERF/MPERF, as in most VMs); "
                  "longest poll gap 5000 ns");
    sys.put("cpu1/backend/effective_khz", "1200000\n");
    sys.put("cpu1/backend/effective_khz_min", "1100000\n");
    sys.put("cpu1/backend/loop_gap_max_ns", "12000000\n");
    const ModuleStatus st = read_status(sys.root.string());
    line = loop_health(st.cpus[0]);
    CHECK(line == "clock 1200 of 3000 MHz (40 %, lowest 1100): throttled or in a low P-state; "
                  "longest poll gap 12 ms: starved (a hypervisor or SMIs took the CPU)");
    CHECK(status_table(st).find("cpu1 loop: clock 1200 of 3000 MHz") != std::string::npos);
    CHECK(stats_table(st, nullptr, 0).find("\n  loop: clock 1200 of 3000 MHz") != std::string::npos);
    sys.put("cpu1/backend/effective_khz", "2990000\n");
    sys.put("cpu1/backend/loop_gap_max_ns", "40000\n");
    CHECK(loop_health(read_status(sys.root.string()).cpus[0]) ==
          "clock 2990 of 3000 MHz (99 %, lowest 1100); longest poll gap 40 us");
}
