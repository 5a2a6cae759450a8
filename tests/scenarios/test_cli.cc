// offsched-sim as a Unix tool: exit codes per failure class, errors on stderr with file:line,
// `--json -` gives only JSON, and the same scenario and seed give byte-identical output.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/scenarios/sim_cli.h"

namespace {

using Outcome = offsched::test::SimOutcome;
Outcome sim(const std::string& args) { return offsched::test::run_sim(args); }

const std::string kSrc = OFFSCHED_SOURCE_DIR;
// Short enough for a unit test, long enough that connections start and complete.
const std::string kShort = kSrc + "/scenarios/syn_flood.yaml --set run.duration_ns=600ms --set run.warmup_ns=100ms "
                                  "--set legit.connect_timeout_ns=200ms --set flood.rate_pps=2M";

} // namespace

TEST_CASE("exit codes tell usage, bad input, missing input and success apart")
{
    CHECK(sim("--no-such-flag 2>&1").exit_code == 64);
    const Outcome missing = sim(kSrc + "/scenarios/does_not_exist.yaml 2>&1");
    CHECK(missing.exit_code == 66);
    CHECK_THAT(missing.out, Catch::Contains("does_not_exist.yaml: cannot open"));
    const Outcome bad = sim(kSrc + "/tests/scenarios/bad/core_zero.yaml 2>&1");
    CHECK(bad.exit_code == 65);
    CHECK_THAT(bad.out, Catch::Contains("core_zero.yaml:6:21: field 'designs[0].offload_cores[0]'"));
    // A job set the rt executive could not schedule is refused before anything runs.
    const Outcome rt = sim(kSrc + "/tests/scenarios/bad/rt_overutilised.yaml 2>&1");
    CHECK(rt.exit_code == 65);
    CHECK_THAT(rt.out, Catch::Contains("rt_overutilised.yaml:7:35: field 'rt_tasks.jobs[2].budget_ns': total utilisation exceeds 100%"));
    CHECK(sim(kShort + " --csv - 2>&1").exit_code == 64); // --csv needs --sweep
    CHECK(sim(kShort + " --design nope 2>&1").exit_code == 64);
    // Options before the scenario take one value each: the scenario is not swallowed as a value.
    CHECK(sim("--set run.duration_ns=20ms --design baseline --sweep flood.rate_pps=1:2:2 " + kSrc + "/scenarios/syn_flood.yaml -q")
              .exit_code == 0);
}

TEST_CASE("json to stdout prints only JSON, with the resolved scenario, and is byte-identical across runs")
{
    const Outcome a = sim(kShort + " --json -");
    const Outcome b = sim(kShort + " --json -");
    REQUIRE(a.exit_code == 0);
    REQUIRE(b.exit_code == 0);
    CHECK(a.out == b.out);
    const auto j = nlohmann::json::parse(a.out); // throws (fails) if anything but JSON was printed
    CHECK(j["seed"] == 1);
    CHECK(j["scenario"]["designs"][1]["params"]["flood"]["rate_pps"] == 2000000);
    CHECK(j["scenario"]["designs"][1]["config"]["rules"][0]["src"] == "10.1.0.0/16");
    REQUIRE(j["results"].size() == 2);
    CHECK(j["results"][1]["legit_attempts"].get<uint64_t>() > 0);

    const Outcome other_seed = sim(kShort + " --seed 2 --json -");
    REQUIRE(other_seed.exit_code == 0);
    CHECK(other_seed.out != a.out);
}

TEST_CASE("the table names every design and ends with the verdict")
{
    const Outcome t = sim(kShort);
    REQUIRE(t.exit_code == 0);
    CHECK_THAT(t.out, Catch::Contains("baseline"));
    CHECK_THAT(t.out, Catch::Contains("offsched"));
    CHECK_THAT(t.out, Catch::Contains("Could the admin ssh in?"));
}

TEST_CASE("sweep writes one CSV row per value and design")
{
    const Outcome s = sim(kShort + " --sweep flood.rate_pps=0:2M:3 --csv - --quiet");
    REQUIRE(s.exit_code == 0);
    size_t lines = 0;
    for (char c : s.out) lines += c == '\n';
    CHECK(lines == 1 + 3 * 2);
    CHECK_THAT(s.out, Catch::StartsWith("flood.rate_pps,seed,design,"));
    CHECK_THAT(s.out, Catch::Contains("\n1000000,1,offsched,"));
    CHECK(sim(kShort + " --sweep flood.rate_pps=5:1:3 2>&1").exit_code == 65);
}

TEST_CASE("a timer or rt scenario's sweep shows firing error and deadline misses, not ssh columns")
{
    const std::string shortened = " --set run.duration_ns=60ms --set run.warmup_ns=10ms --sweep flood.rate_pps=0:2M:2 2>/dev/null";
    const Outcome timer = sim(kSrc + "/scenarios/timer_jitter.yaml" + shortened);
    REQUIRE(timer.exit_code == 0);
    CHECK_THAT(timer.out, Catch::Contains("timer p99") && !Catch::Contains("ssh ok"));
    const Outcome rt = sim(kSrc + "/scenarios/rt_deadlines.yaml" + shortened);
    REQUIRE(rt.exit_code == 0);
    CHECK_THAT(rt.out, Catch::Contains("missed/jobs") && !Catch::Contains("timer p99"));
}

namespace {
using offsched::test::run_sim;
using offsched::test::SimOutcome;
const std::string kShortRun =
    std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/syn_flood.yaml -q --set run.duration_ns=20ms --set run.warmup_ns=2ms --set legit.connect_timeout_ns=5ms";
std::string tmp_path(const std::string& name)
{
    return (std::filesystem::temp_directory_path() / ("offsched-cli-" + name)).string();
}
} // namespace

TEST_CASE("inputs that are not scenario files are refused as what they are, with sysexits codes")
{
    const std::string dir = std::filesystem::temp_directory_path().string();
    SimOutcome r = run_sim(dir + " 2>&1");
    CHECK(r.exit_code == 66);
    CHECK(r.out.find("is a directory, not a file") != std::string::npos);
    r = run_sim("/dev/null 2>&1");
    CHECK(r.exit_code == 66);
    CHECK(r.out.find("is a character device") != std::string::npos);
    const std::string latin1 = tmp_path("latin1.yaml");
    std::ofstream(latin1) << "name: caf\xe9\n";
    r = run_sim(latin1 + " --json - 2>&1");
    CHECK(r.exit_code == 65);
    CHECK(r.out.find(":1:10: byte 0xe9 is not valid UTF-8") != std::string::npos);
}

TEST_CASE("outputs: a device is never replaced, a symlink is written through, a bad path fails before the run")
{
    SimOutcome r = run_sim(kShortRun + " --json /dev/full 2>&1");
    CHECK(r.exit_code == 73);
    CHECK(r.out.find("/dev/full: is a device: refusing to replace it") != std::string::npos);
    CHECK(std::filesystem::is_character_file("/dev/full"));

    const std::string target = tmp_path("target.json"), link = tmp_path("link.json");
    std::filesystem::remove(target);
    std::filesystem::remove(link);
    std::filesystem::create_symlink(target, link);
    r = run_sim(kShortRun + " --json " + link + " 2>&1");
    CHECK(r.exit_code == 0);
    CHECK(std::filesystem::is_symlink(link));
    CHECK(std::filesystem::file_size(target) > 100);

    // Refused at once: the whole run would have been lost at the end.
    const auto t0 = std::chrono::steady_clock::now();
    r = run_sim(std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/syn_flood.yaml --json /nonexistent-dir/x.json 2>&1");
    CHECK(r.exit_code == 73);
    CHECK(r.out.find("directory /nonexistent-dir does not exist") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2)); // not after a 4 s-simulated run
    r = run_sim(kShortRun + " --vcd /nonexistent-dir/w.vcd 2>&1");
    CHECK(r.exit_code != 0);
    CHECK(r.out.find("/nonexistent-dir") != std::string::npos);
}

TEST_CASE("a SIGTERM mid-run leaves no temporary or partial output and no child simulator behind")
{
    const std::string trace = tmp_path("sig.json"), vcd = tmp_path("sig.vcd");
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::temp_directory_path()))
        if (e.path().filename().string().rfind("offsched-cli-sig", 0) == 0) std::filesystem::remove(e.path());
    // The whole syn_flood run (seconds); TERM to the simulator alone, after a second.
    const std::string cmd = std::string(OFFSCHED_SIM_BINARY) + " " + OFFSCHED_SOURCE_DIR + "/scenarios/syn_flood.yaml -q --trace " + trace +
                            " --vcd " + vcd + " > /dev/null 2>&1 & pid=$!; sleep 1; kill -TERM $pid; wait $pid; echo $?";
    CHECK(offsched::test::run_shell(cmd).out == "143\n"); // killed by SIGTERM, as it should report
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // children act on their parent's death
    std::vector<std::string> left;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::temp_directory_path()))
        if (e.path().filename().string().rfind("offsched-cli-sig", 0) == 0) left.push_back(e.path().string());
    INFO("left behind: " << left.size());
    CHECK(left.empty());
    CHECK(offsched::test::run_shell("pgrep -f 'offsched-cli-[s]ig.json' | wc -l").out == "0\n"); // no simulator of it left
}

TEST_CASE("a run too short for the clients' patience gives no verdict, and says why")
{
    const SimOutcome r = run_sim(std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/syn_flood.yaml --set run.duration_ns=2s 2>&1");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("baseline  no verdict: 0 connection attempt(s) had their whole patience inside the run") != std::string::npos);
    CHECK(r.out.find("NO") == std::string::npos); // not a wrong answer
}

TEST_CASE("parameters that cannot work together are input errors with the field, not failed simulations")
{
    const std::string s = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/syn_flood.yaml";
    SimOutcome r = run_sim(s + " --set nic.rss_indirection=100 2>&1");
    CHECK(r.exit_code == 65);
    CHECK(r.out.find("<command line>: field 'designs[0].nic.rss_indirection': 100 is not a power of two") != std::string::npos);
    r = run_sim(s + " --set legit.client_net=10.0.0.0/31 2>&1");
    CHECK(r.exit_code == 65);
    CHECK(r.out.find("legit.client_net': needs a prefix of at most /30") != std::string::npos);
    const std::string web = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/web_flood.yaml";
    r = run_sim(web + " --set offload.owns_nic=0 --set offload.idle_skip=0 2>&1");
    CHECK(r.exit_code == 65);
    CHECK(r.out.find("designs[2].offload.owns_nic': service 'firewall' with this config handles the host's transmitted frames") !=
          std::string::npos);
    // A service that declares no NIC (ServiceNeeds::nic) cannot be given the NIC to poll.
    const std::string timer = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/timer_jitter.yaml";
    r = run_sim(timer + " --set offload.owns_nic=1 2>&1");
    CHECK(r.exit_code == 65);
    CHECK(r.out.find("designs[1].offload.owns_nic': service 'timer' uses no NIC") != std::string::npos);
}

TEST_CASE("a hotplug scenario refuses options that ask for results it does not produce, unknown services and duplicate keys")
{
    const std::string hp = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/hotplug.yaml";
    for (const char* opt : {"--json x.json", "--sweep flood.rate_pps=1:2:2", "--set run.duration_ns=1s", "--seed 3"}) {
        const SimOutcome r = run_sim(hp + " " + opt + " 2>&1");
        INFO(opt << ": " << r.out);
        CHECK(r.exit_code == 64);
        CHECK(r.out.find("a hotplug scenario is explained step by step") != std::string::npos);
    }
    std::ifstream in(hp);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    const std::string bad_service = tmp_path("hp-service.yaml");
    std::ofstream(bad_service) << std::regex_replace(text, std::regex("service: firewall"), "service: nonsense");
    SimOutcome r = run_sim(bad_service + " 2>&1");
    CHECK(r.exit_code == 65);
    CHECK(r.out.find("field 'hotplug.offsched.service': unknown service 'nonsense'; available: firewall") != std::string::npos);
    const std::string dup = tmp_path("hp-dup.yaml");
    std::ofstream(dup) << std::regex_replace(text, std::regex("  cpus: 4\n"), "  cpus: 4\n  cpus: 8\n");
    r = run_sim(dup + " 2>&1");
    CHECK(r.exit_code == 65);
    CHECK(r.out.find("field 'hotplug.cpus': duplicate key") != std::string::npos);
}
