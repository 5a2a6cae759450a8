// Sweeps as a design study runs them: grids of several axes with repetitions over seeds, on all
// local cores, interrupted and resumed, and refusing to mix results of different scenarios. The
// outputs must be byte-identical whatever -j and however often the sweep was interrupted.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/scenarios/sim_cli.h"
#include "tests/trace/test_dir.h"
#include "tools/lib/human_units.h"

namespace {

using offsched::test::run_sim;
using offsched::test::SimOutcome;

// 20 ms runs: each simulation takes a fraction of a second.
const std::string kRun = std::string(OFFSCHED_SOURCE_DIR) +
                         "/scenarios/syn_flood.yaml --set run.duration_ns=20ms --set run.warmup_ns=2ms --set legit.connect_timeout_ns=5ms";
const std::string kScenario = kRun + " -q";
// Two axes (2 x 2 points), three seeds, two designs: 24 simulations.
const std::string kGrid = " --sweep flood.rate_pps=100k:2M:2 --sweep legit.connect_rate=200:400:2 --seeds 3";
// The same grid, each simulation long enough (~0.2 s) that an interrupt lands mid-sweep.
const std::string kSlowScenario = std::string(OFFSCHED_SOURCE_DIR) +
                                  "/scenarios/syn_flood.yaml --set run.duration_ns=1s --set run.warmup_ns=2ms "
                                  "--set legit.connect_timeout_ns=5ms";

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

size_t lines_in(const std::string& text)
{
    size_t n = 0;
    for (char c : text) n += c == '\n';
    return n;
}

} // namespace

TEST_CASE("a two-axis sweep with three seeds gives every point and seed, byte-identical at -j 1 and -j 2", "[sweep]")
{
    offsched::test::TestDir dir;
    setenv("XDG_CACHE_HOME", (dir / "cache").c_str(), 1);
    const SimOutcome one = run_sim(kScenario + kGrid + " -j 1 --csv " + dir / "one.csv" + " --json " + dir / "one.json");
    const SimOutcome two = run_sim(kScenario + kGrid + " -j 2 --csv " + dir / "two.csv" + " --json " + dir / "two.json");
    REQUIRE(one.exit_code == 0);
    REQUIRE(two.exit_code == 0);
    const std::string csv = slurp(dir / "one.csv");
    CHECK(csv == slurp(dir / "two.csv"));
    CHECK(slurp(dir / "one.json") == slurp(dir / "two.json"));
    CHECK(lines_in(csv) == 1 + 2 * 2 * 3 * 2);
    CHECK_THAT(csv, Catch::StartsWith("flood.rate_pps,legit.connect_rate,seed,design,"));
    CHECK_THAT(csv, Catch::Contains("\n2000000,400,3,offsched,")); // the last point, its last seed
    // The seeds differ, so the repetitions do: a spread exists to be summarised.
    const auto j = nlohmann::json::parse(slurp(dir / "one.json"));
    REQUIRE(j["points"].size() == 12);
    CHECK(j["points"][0]["coords"]["flood.rate_pps"] == "100000");
    CHECK(j["points"][0]["seed"] == 1);
    CHECK(j["points"][2]["seed"] == 3);
    CHECK(j["points"][0]["results"][0] != j["points"][1]["results"][0]);
    // A finished sweep in the default place leaves nothing there to resume.
    CHECK(std::filesystem::is_empty(dir / "cache/offsched/sweeps"));
}

TEST_CASE("with several seeds the table shows mean, 95 % interval, min and max per point", "[sweep]")
{
    offsched::test::TestDir dir;
    setenv("XDG_CACHE_HOME", (dir / "cache").c_str(), 1);
    const SimOutcome t = run_sim(kRun + " --sweep flood.rate_pps=100k:2M:2 --seeds 3 --json " + dir / "r.json" + " 2>/dev/null");
    REQUIRE(t.exit_code == 0);
    CHECK_THAT(t.out, Catch::Contains("3 seeds per point (1 to 3): mean ±95 % interval [min, max]"));
    CHECK_THAT(t.out, Catch::Contains("ssh ok") && Catch::Contains("connect p99"));
    // The baseline's row at 100,000 pps summarises exactly its three seeds' p99s from the JSON.
    const auto j = nlohmann::json::parse(slurp(dir / "r.json"));
    std::vector<uint64_t> p99;
    for (int seed = 0; seed < 3; ++seed) p99.push_back(j["points"][seed]["results"][0]["connect_p99_ns"].get<uint64_t>());
    const uint64_t lo = *std::min_element(p99.begin(), p99.end()), hi = *std::max_element(p99.begin(), p99.end());
    const size_t row = t.out.find("100,000", t.out.find("baseline"));
    REQUIRE(row != std::string::npos);
    const std::string line = t.out.substr(row, t.out.find('\n', row) - row);
    CHECK_THAT(line, Catch::Contains("100.00 % ±0.00 % [100.00 %, 100.00 %]"));
    CHECK_THAT(line, Catch::Contains("[" + offsched::tools::format_ns(lo) + ", " + offsched::tools::format_ns(hi) + "]"));
    CHECK(lo != hi); // the seeds do differ: a spread exists
}

TEST_CASE("an interrupted sweep keeps its finished simulations and the same command resumes to the same result", "[sweep]")
{
    offsched::test::TestDir dir;
    const std::string results = dir / "results";
    // Uninterrupted, for reference.
    REQUIRE(run_sim(kSlowScenario + kGrid + " -j 1 --results " + dir / "ref" + " --csv " + dir / "ref.csv").exit_code == 0);
    CHECK(lines_in(slurp(dir / "ref/points.jsonl")) == 24);

    // Interrupted with SIGINT once a few simulations are kept.
    const std::string cmd = std::string(OFFSCHED_SIM_BINARY) + " " + kSlowScenario + kGrid + " -j 1 --results " + results + " --csv " +
                            dir / "out.csv" + " 2>" + dir / "err.txt" + " & pid=$!; while [ \"$(cat " + results +
                            "/points.jsonl 2>/dev/null | wc -l)\" -lt 3 ]; do sleep 0.05; done; kill -INT $pid; wait $pid; echo $?";
    CHECK(offsched::test::run_shell(cmd).out == "130\n"); // ended by SIGINT, as a shell expects
    const size_t kept = lines_in(slurp(results + "/points.jsonl"));
    CHECK(kept >= 3);
    CHECK(kept < 24);
    CHECK_THAT(slurp(dir / "err.txt"), Catch::Contains("interrupted: " + std::to_string(kept) + " of 24 simulations are kept in " + results));
    CHECK_FALSE(std::filesystem::exists(dir / "out.csv")); // no partial output

    // The same command finishes only what is missing; the outputs match the uninterrupted run's.
    const SimOutcome resumed = run_sim(kSlowScenario + kGrid + " -j 2 --results " + results + " --csv " + dir / "out.csv" + " 2>&1");
    REQUIRE(resumed.exit_code == 0);
    CHECK_THAT(resumed.out, Catch::Contains("resuming from " + results + ": " + std::to_string(kept) + " of 24 simulations already done"));
    CHECK(slurp(dir / "out.csv") == slurp(dir / "ref.csv"));
    CHECK(lines_in(slurp(results + "/points.jsonl")) == 24);

    // A result line cut short (power loss mid-write) is dropped and that simulation runs again.
    {
        const std::string full = slurp(results + "/points.jsonl");
        std::ofstream(results + "/points.jsonl", std::ios::binary | std::ios::trunc) << full.substr(0, full.size() - 40);
    }
    const SimOutcome repaired = run_sim(kSlowScenario + kGrid + " --results " + results + " --csv " + dir / "again.csv" + " 2>&1");
    REQUIRE(repaired.exit_code == 0);
    CHECK_THAT(repaired.out, Catch::Contains("23 of 24 simulations already done"));
    CHECK(slurp(dir / "again.csv") == slurp(dir / "ref.csv"));

    // More seeds reuse the three already run: only the new ones simulate.
    const SimOutcome more = run_sim(kSlowScenario + " --sweep flood.rate_pps=100k:2M:2 --sweep legit.connect_rate=200:400:2 --seeds 4 --results " +
                                    results + " --csv - 2>&1 >/dev/null");
    REQUIRE(more.exit_code == 0);
    CHECK_THAT(more.out, Catch::Contains("24 of 32 simulations already done; missing: flood.rate_pps=100000 legit.connect_rate=200 "
                                         "seed 4 (baseline), flood.rate_pps=100000 legit.connect_rate=200 seed 4 (offsched),"));
    CHECK_THAT(more.out, Catch::Contains(" and 4 more\n"));
}

TEST_CASE("a results directory of another scenario is refused, not mixed", "[sweep]")
{
    offsched::test::TestDir dir;
    const std::string results = dir / "results";
    REQUIRE(run_sim(kScenario + " --sweep flood.rate_pps=100k:2M:2 --results " + results).exit_code == 0);
    const std::string before = slurp(results + "/points.jsonl");
    const SimOutcome other = run_sim(kScenario + " --set legit.connect_rate=300 --sweep flood.rate_pps=100k:2M:2 --results " + results + " 2>&1");
    CHECK(other.exit_code == 65);
    CHECK_THAT(other.out, Catch::Contains(results + " holds the results of another scenario"));
    CHECK(slurp(results + "/points.jsonl") == before); // untouched
    const SimOutcome seed = run_sim(kScenario + " --seed 9 --sweep flood.rate_pps=100k:2M:2 --results " + results + " 2>&1");
    CHECK(seed.exit_code == 65);
    const SimOutcome file = run_sim(kScenario + " --sweep flood.rate_pps=100k:2M:2 --results " + std::string(OFFSCHED_SOURCE_DIR) +
                                    "/README.md 2>&1");
    CHECK(file.exit_code == 73);
    CHECK_THAT(file.out, Catch::Contains("README.md: File exists") || Catch::Contains("is not a directory"));
}

TEST_CASE("bad sweeps are refused before anything runs, naming the axis or the point", "[sweep]")
{
    SimOutcome r = run_sim(kScenario + " --sweep flood.rate_pps=1:2:2 --sweep flood.rate_pps=3:4:2 2>&1");
    CHECK(r.exit_code == 65);
    CHECK_THAT(r.out, Catch::Contains("'flood.rate_pps' is swept twice"));
    r = run_sim(kScenario + " --sweep flood.no_such_field=1:2:2 2>&1");
    CHECK(r.exit_code == 65);
    CHECK_THAT(r.out, Catch::Contains("flood.no_such_field"));
    // 1000 x 3 seeds x 2 designs: asks for --yes.
    r = run_sim(kScenario + " --sweep flood.rate_pps=1k:1M:1000 --seeds 3 2>&1");
    CHECK(r.exit_code == 64);
    CHECK_THAT(r.out, Catch::Contains("this sweep is 6000 simulations (1000 flood.rate_pps x 3 seed(s) x 2 design(s)); add --yes"));
    // Only machine.cores=2 is impossible (the offsched design's core 3): found before the first run.
    r = run_sim(kScenario + " --sweep machine.cores=4:2:2 2>&1");
    CHECK(r.exit_code == 65);
    r = run_sim(kScenario + " --sweep machine.cores=2:4:2 2>&1");
    CHECK(r.exit_code == 65);
    CHECK_THAT(r.out, Catch::Contains("at machine.cores=2: core 3 does not exist"));
    r = run_sim(kScenario + " --sweep flood.rate_pps=1:2:2 --seeds 0 2>&1");
    CHECK(r.exit_code == 65);
    for (const char* alone : {"--seeds 2", "--results x", "--yes"}) {
        r = run_sim(kScenario + " " + alone + " 2>&1");
        CHECK(r.exit_code == 64);
        CHECK_THAT(r.out, Catch::Contains("needs --sweep"));
    }
}
