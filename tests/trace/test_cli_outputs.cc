// End to end: offsched-sim runs the shipped SYN-flood scenario (shortened) with --trace, --vcd and
// --plot; the files the real model wrote are checked like the unit tests check the writers.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/trace/png_image.h"
#include "tests/trace/test_dir.h"
#include "tests/trace/trace_event_rules.h"

using namespace offsched;

namespace {

int run_cli(const std::string& args)
{
    const std::string cmd = std::string(OFFSCHED_SIM) + " " + SOURCE_DIR "/scenarios/syn_flood.yaml " +
                            "--set run.duration_ns=20ms --set run.warmup_ns=0 " + args + " >/dev/null 2>&1";
    const int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string slurp(const std::string& path)
{
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

} // namespace

TEST_CASE("offsched-sim --trace: one file, a process per design, following ssh through the flood", "[trace][cli]")
{
    test::TestDir dir;
    const std::string path = dir / "flood.json";
    REQUIRE(run_cli("-q --trace " + path + " --trace-window 10ms:12ms") == 0);
    const auto doc = nlohmann::json::parse(slurp(path));
    const auto c = test::check_trace_events(doc);
    for (const auto& v : c.violations) UNSCOPED_INFO(v);
    REQUIRE(c.violations.empty());
    std::set<std::string> processes;
    for (const auto& e : doc["traceEvents"])
        if (e["ph"] == "M" && e["name"] == "process_name") processes.insert(e["args"]["name"].get<std::string>());
    CHECK(processes == std::set<std::string>{"design baseline", "design offsched"});
    // Four cores per design; in the offsched design core 3 is the firewall and runs nothing else.
    CHECK(c.thread_names.at("2/4") == "core 3 (service:firewall)");
    for (const auto& [name, us] : c.slice_time.at("2/4")) CHECK((name == "service:firewall" || name == "idle"));
    // Under the flood the baseline's cores live in softirq/ksoftirqd: sshd gets (almost) nothing.
    double soft = 0, sshd = 0;
    for (const char* t : {"1/1", "1/2", "1/3", "1/4"})
        for (const auto& [name, us] : c.slice_time.at(t)) {
            if (name == "softirq" || name.rfind("ksoftirqd", 0) == 0) soft += us;
            if (name == "sshd") sshd += us;
        }
    CHECK(soft > 4 * 2000 * 0.9); // 2 ms window x 4 cores
    CHECK(sshd < soft / 100);
    // Rings: counters for the four queues of each design; the baseline's rings overflow.
    const auto& q0 = c.counters.at("1/rx ring q0/fill");
    CHECK(*std::max_element(q0.begin(), q0.end()) == 512);
    // The offsched design accepts ssh connections inside the window, arrows and all.
    CHECK(c.flows_completed > 0);
    size_t accepted_offsched = 0, accepted_baseline = 0;
    for (const auto& e : doc["traceEvents"])
        if (e["ph"] == "e" && e.contains("args") && e["args"].value("result", "") == "accepted")
            (e["pid"] == 2 ? accepted_offsched : accepted_baseline) += e["pid"] == 1 || e["pid"] == 2;
    CHECK(accepted_offsched > 0);
    CHECK(accepted_baseline == 0);
    CHECK(!std::filesystem::exists(path + ".part0"));
}

TEST_CASE("offsched-sim --vcd: waveforms per design that change", "[trace][cli]")
{
    test::TestDir dir;
    REQUIRE(run_cli("-q --design baseline --design offsched --vcd " + (dir / "w.vcd")) == 0);
    for (const char* design : {"baseline", "offsched"}) {
        const std::string text = slurp(dir / (std::string("w.") + design + ".vcd"));
        REQUIRE(!text.empty());
        // Declared signals, then value changes after the definitions.
        std::map<std::string, std::string> ids; // name -> id
        std::istringstream s(text);
        std::string line;
        std::map<std::string, size_t> changes;
        bool defs = true;
        while (std::getline(s, line)) {
            std::istringstream ls(line);
            std::string a, type, width, id, name;
            ls >> a;
            if (a == "$var") {
                ls >> type >> width >> id >> name;
                ids[id] = name;
            } else if (a == "$enddefinitions") {
                defs = false;
            } else if (!defs && !a.empty() && a[0] == 'b') {
                ls >> id;
                ++changes[ids[id]];
            } else if (!defs && !a.empty() && (a[0] == '0' || a[0] == '1') && ids.count(a.substr(1))) {
                ++changes[ids[a.substr(1)]];
            }
        }
        INFO(design);
        for (const char* sig : {"core0_mode", "core3_mode", "irq0", "ring0_fill", "legit_accepted"}) {
            bool declared = false;
            for (const auto& [id, name] : ids) declared = declared || name == sig;
            CHECK(declared);
        }
        CHECK(changes["core0_mode"] > 10);
        CHECK(changes["ring0_fill"] > 2);
        if (std::string(design) == "baseline") CHECK(changes["irq0"] > 2); // interrupts (polled queues raise none)
        else CHECK(changes["legit_accepted"] > 1);
    }
}

TEST_CASE("offsched-sim --plot: figures that render", "[trace][cli]")
{
    test::TestDir dir;
    const std::string plots = dir / "plots";
    // A 5 ms connect timeout: attempts of the first 15 ms count in the success-over-time line.
    REQUIRE(run_cli("-q --design baseline --design offsched --set legit.connect_timeout_ns=5ms --plot " + plots) == 0);
    const auto cpu = test::render_svg_to_png(plots + "/cpu.baseline.svg");
    CHECK(cpu.width == 1040);
    CHECK(cpu.height == 480);
    // Baseline core 0: mostly ksoftirqd (yellow) or softirq (orange), hardly any user (green).
    const size_t plot_px = (520 - 64 - 150) * (240 - 28 - 44);
    const size_t soft = cpu.count(0xedc948, 64, 28, 370, 196) + cpu.count(0xf28e2b, 64, 28, 370, 196);
    CHECK(soft > plot_px * 8 / 10);
    CHECK(cpu.count(0x59a14f, 64, 28, 370, 196) < plot_px / 100);
    const auto off = test::render_svg_to_png(plots + "/cpu.offsched.svg");
    CHECK(off.count(0x4e79a7, 520 + 64, 240 + 28, 1040 - 150, 480 - 44) > plot_px / 2); // core 3: the service
    const auto legit = test::render_svg_to_png(plots + "/legit.svg");
    CHECK(legit.count(0xf28e2b, 64, 28, 640 - 150, 300 - 44) > 20); // offsched's success line (at 100 %)
    CHECK(legit.count(0xf28e2b, 64, 28 + 10, 640 - 150, 300 - 44) < 20);
}

TEST_CASE("offsched-sim refuses trace options that do not fit", "[trace][cli]")
{
    test::TestDir dir;
    CHECK(run_cli("--trace-window 5ms:6ms") == 64);
    CHECK(run_cli("--trace " + (dir / "t.json") + " --trace-window 6ms:5ms") == 64);
    CHECK(run_cli("--trace " + (dir / "t.json") + " --trace-window soon") == 64);
    CHECK(run_cli("--trace " + (dir / "t.json") + " --sweep flood.rate_pps=0:1M:2") == 64);
    CHECK(run_cli("--trace /nonexistent-dir/t.json") == 73); // refused before the run: cannot create
    CHECK(!std::filesystem::exists(dir / "t.json"));
}

TEST_CASE("offsched-sim shows simulated time on a terminal only, and the results do not change", "[trace][cli]")
{
    test::TestDir dir;
    const std::string sim = std::string(OFFSCHED_SIM) + " " + SOURCE_DIR "/scenarios/syn_flood.yaml --set run.duration_ns=20ms " +
                            "--set run.warmup_ns=0 --design baseline --design offsched --json ";
    // A pipe: nothing on stderr.
    REQUIRE(std::system((sim + dir / "pipe.json" + " 2>" + dir / "pipe.err" + " >/dev/null").c_str()) == 0);
    CHECK(slurp(dir / "pipe.err").empty());
    // A terminal (script(1) gives the run a pty): the progress line, with simulated time.
    REQUIRE(std::system(("script -qec '" + sim + dir / "tty.json" + "' " + dir / "typescript" + " >/dev/null").c_str()) == 0);
    const std::string typescript = slurp(dir / "typescript");
    CHECK(typescript.find("simulated 20.00 ms of 20.00 ms per design") != std::string::npos);
    // Publishing progress runs sc_start in slices: the results are byte-identical all the same.
    CHECK(slurp(dir / "pipe.json") == slurp(dir / "tty.json"));
}

TEST_CASE("offsched-sim --trace without a window records 100 ms from the end of the warm-up, 'all' records the run",
          "[trace][cli]")
{
    test::TestDir dir;
    // Event time stamps (us) of a trace, smallest and largest.
    auto span = [&](const std::string& path) {
        const auto doc = nlohmann::json::parse(slurp(path));
        double lo = 1e300, hi = 0;
        for (const auto& e : doc["traceEvents"])
            if (e.contains("ts") && e["ph"] != "M") {
                lo = std::min(lo, e["ts"].get<double>());
                hi = std::max(hi, e["ts"].get<double>());
            }
        return std::make_pair(lo, hi);
    };
    const std::string base = std::string(OFFSCHED_SIM) + " " + SOURCE_DIR "/scenarios/syn_flood.yaml -q " +
                             "--set run.duration_ns=300ms --set run.warmup_ns=50ms --set legit.connect_timeout_ns=100ms " +
                             "--set flood.rate_pps=20k --design offsched --trace ";
    REQUIRE(std::system((base + (dir / "default.json") + " 2>/dev/null").c_str()) == 0);
    REQUIRE(std::system((base + (dir / "all.json") + " --trace-window all 2>/dev/null").c_str()) == 0);
    const auto [lo, hi] = span(dir / "default.json");
    CHECK(lo >= 50000);
    CHECK(hi <= 150000);
    CHECK(hi > 100000);
    const auto [all_lo, all_hi] = span(dir / "all.json");
    CHECK(all_lo < 1000);
    CHECK(all_hi > 250000);
}
