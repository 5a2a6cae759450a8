// The Perfetto/Chrome JSON writer, fed a synthetic run, read back with a real JSON parser and
// checked against the trace-event rules.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "backends/sim/trace/perfetto_writer.h"
#include "backends/sim/trace/window_filter.h"
#include "tests/trace/synthetic_run.h"
#include "tests/trace/test_dir.h"
#include "tests/trace/trace_event_rules.h"

using namespace offsched;
using namespace offsched::sim::trace;
using offsched::test::check_trace_events;

namespace {

nlohmann::json load(const std::string& path)
{
    std::ifstream in(path);
    REQUIRE(in);
    return nlohmann::json::parse(in); // throws (fails the test) on malformed JSON
}

std::string write_trace(const std::string& path, const test::SyntheticRun& run, uint64_t from = 0, uint64_t to = UINT64_MAX,
                        uint64_t every = 1)
{
    PerfettoWriter w(path, test::synthetic_layout(run));
    REQUIRE(w.ok());
    WindowFilter window(&w, from, to, every);
    test::drive(run, &window);
    REQUIRE(w.error().empty());
    return path;
}

void require_rules(const test::TraceCheck& c)
{
    for (const auto& v : c.violations) UNSCOPED_INFO(v);
    REQUIRE(c.violations.empty());
}

} // namespace

TEST_CASE("a whole run is a well-formed trace with every kind of event", "[trace][perfetto]")
{
    test::TestDir dir;
    const test::SyntheticRun run;
    const auto c = check_trace_events(load(write_trace(dir / "run.json", run)));
    require_rules(c);
    CHECK(c.by_phase.at("B") > 100);
    CHECK(c.by_phase.at("B") == c.by_phase.at("E"));
    CHECK(c.by_phase.at("C") > 50);
    // Core tracks are named after their role; the service core runs the service.
    CHECK(c.thread_names.at("1/1") == "core 0 (os)");
    CHECK(c.thread_names.at("1/3") == "core 2 (service:firewall)");
    CHECK(c.slice_time.at("1/3").count("service:firewall") == 1); // service slices carry the role
    CHECK(c.slice_time.at("1/1").count("ksoftirqd/0") == 1);
    CHECK(c.slice_time.at("1/1").count("sshd") == 1);
    CHECK(c.slice_time.at("1/1").count("hardirq") == 1);
    // Every core is covered by slices from 0 to the end: no gaps in the accounting.
    for (const char* track : {"1/1", "1/2", "1/3"}) {
        double covered = 0;
        for (const auto& [name, us] : c.slice_time.at(track)) covered += us;
        CHECK(covered == Approx(2000.0 - (track[2] == '3' ? 0 : (track[2] - '1'))));
    }
    // 12 connections: 0..11 start every 150 us; 2, 5, 8 give up unanswered (no flow: no core
    // step), 11 never gets an ACK in time, the others are followed SYN -> accept.
    CHECK(c.async_completed == 12);
    CHECK(c.flows_completed == 8);
    // Ring counters carry the fills that were reported.
    const auto& q1 = c.counters.at("1/rx ring q1/fill");
    CHECK(*std::max_element(q1.begin(), q1.end()) == 96);
}

TEST_CASE("the trace is byte-identical when the run is repeated", "[trace][perfetto]")
{
    test::TestDir dir;
    const test::SyntheticRun run;
    std::ifstream a(write_trace(dir / "a.json", run)), b(write_trace(dir / "b.json", run));
    const std::string ta((std::istreambuf_iterator<char>(a)), {}), tb((std::istreambuf_iterator<char>(b)), {});
    REQUIRE(!ta.empty());
    CHECK(ta == tb);
}

TEST_CASE("a window keeps only its span, replays the state at its start and closes at its end", "[trace][perfetto]")
{
    test::TestDir dir;
    const test::SyntheticRun run;
    const auto doc = load(write_trace(dir / "w.json", run, 512'345, 812'345));
    const auto c = check_trace_events(doc);
    require_rules(c);
    double lo = 1e18, hi = 0;
    for (const auto& e : doc["traceEvents"])
        if (e.contains("ts")) {
            lo = std::min(lo, e["ts"].get<double>());
            hi = std::max(hi, e["ts"].get<double>());
        }
    CHECK(lo == Approx(512.345));
    CHECK(hi == Approx(812.345));
    // Every core starts the window inside the slice it was in (replayed), so it is fully covered.
    double covered = 0;
    for (const auto& [name, us] : c.slice_time.at("1/2")) covered += us;
    CHECK(covered == Approx(300.0));
    // Connections 4 (starts at 603 us) and 5 (703 us) start inside; 5 gives up after the window.
    CHECK(c.async_completed == 2);
}

TEST_CASE("sampling (--trace-sample) follows every Nth connection only", "[trace][perfetto]")
{
    test::TestDir dir;
    const test::SyntheticRun run;
    const auto all = check_trace_events(load(write_trace(dir / "all.json", run)));
    const auto third = check_trace_events(load(write_trace(dir / "third.json", run, 0, UINT64_MAX, 3)));
    require_rules(third);
    CHECK(all.async_completed == 12);
    CHECK(third.async_completed == 4); // 0, 3, 6, 9
    CHECK(third.flows_completed == 4);
    CHECK(third.by_phase.at("B") == all.by_phase.at("B")); // core slices are not sampled
}

TEST_CASE("designs written as parts merge into one file with a process each", "[trace][perfetto]")
{
    test::TestDir dir;
    const std::string path = dir / "merged.json";
    const test::SyntheticRun run;
    for (uint32_t i = 0; i < 2; ++i) {
        PerfettoWriter w(perfetto_part_path(path, i), test::synthetic_layout(run, i ? "offsched" : "baseline", i));
        test::drive(run, &w);
    }
    std::string error;
    REQUIRE(merge_perfetto_parts(path, 2, &error));
    CHECK(!std::filesystem::exists(perfetto_part_path(path, 0)));
    const auto doc = load(path);
    const auto c = check_trace_events(doc);
    require_rules(c);
    CHECK(c.thread_names.count("1/1") == 1);
    CHECK(c.thread_names.count("2/1") == 1);
    CHECK(c.async_completed == 24);
    std::set<std::string> processes;
    for (const auto& e : doc["traceEvents"])
        if (e["ph"] == "M" && e["name"] == "process_name") processes.insert(e["args"]["name"].get<std::string>());
    CHECK(processes == std::set<std::string>{"design baseline", "design offsched"});
}

TEST_CASE("a part that is missing fails the merge and leaves no output", "[trace][perfetto]")
{
    test::TestDir dir;
    const std::string path = dir / "m.json";
    std::string error;
    CHECK_FALSE(merge_perfetto_parts(path, 1, &error));
    CHECK(error.find("m.json.part0") != std::string::npos);
    CHECK(!std::filesystem::exists(path));
}

TEST_CASE("a run that never finishes leaves no trace file behind", "[trace][perfetto]")
{
    test::TestDir dir;
    const std::string path = dir / "crash.json";
    {
        PerfettoWriter w(path, test::synthetic_layout({}));
        w.core_mode(0, 0, sim::CpuMode::User, "sshd");
    }
    CHECK(!std::filesystem::exists(path));
    CHECK(!std::filesystem::exists(path + ".tmp"));
}

TEST_CASE("an unwritable path is reported, naming the file", "[trace][perfetto]")
{
    PerfettoWriter w("/nonexistent-dir/t.json", test::synthetic_layout({}));
    CHECK_FALSE(w.ok());
    CHECK(w.error().find("/nonexistent-dir/t.json") != std::string::npos);
}
