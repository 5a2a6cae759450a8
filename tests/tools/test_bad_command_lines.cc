// Every tool, the same command-line discipline (issue 17's table): a negative or oversized
// number is refused with EX_USAGE and a sentence saying what was expected, never wrapped;
// `--version` answers. Each binary is run as a user would run it.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <string>

#include <sys/wait.h>

#include "tools/lib/cli_number.h"

namespace {
struct Run {
    int code = -1;
    std::string out;
};
Run run(const std::string& cmd)
{
    Run r;
    std::FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    REQUIRE(p);
    std::array<char, 4096> buf;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    const int st = pclose(p);
    r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}
const std::string kBin = OFFSCHED_BIN_DIR;
const std::string kScenario = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/syn_flood.yaml";
} // namespace

TEST_CASE("whole numbers: digits only, within the option's range")
{
    using offsched::tools::check_whole_number;
    CHECK(check_whole_number("0", 0, 10).empty());
    CHECK(check_whole_number("18446744073709551615", 0, UINT64_MAX).empty());
    CHECK(check_whole_number("18446744073709551616", 0, UINT64_MAX).find("is beyond") != std::string::npos);
    CHECK(check_whole_number("-1", 0, UINT64_MAX).find("expected a whole number") != std::string::npos);
    CHECK(check_whole_number("+1", 0, 10).find("expected a whole number") != std::string::npos);
    CHECK(check_whole_number(" 1", 0, 10).find("expected a whole number") != std::string::npos);
    CHECK(check_whole_number("1e3", 0, 10000).find("expected a whole number") != std::string::npos);
    CHECK(check_whole_number("", 0, 10).find("expected a whole number") != std::string::npos);
    CHECK(check_whole_number("11", 0, 10) == "11 is not in 0..10");
    CHECK(check_whole_number("65536", 0, 65535) == "65536 is not in 0..65535");
}

TEST_CASE("each tool refuses a negative or oversized number with EX_USAGE, and has --version")
{
    struct Row {
        std::string cmd, says;
    };
    const Row rows[] = {
        {kBin + "/offsched-sim " + kScenario + " --seed -1", "expected a whole number"},
        {kBin + "/offsched-sim " + kScenario + " --seed 99999999999999999999", "is beyond 18446744073709551615"},
        {kBin + "/offsched-sim " + kScenario + " --trace /tmp/x.json --trace-sample 0", "from 1 to 999999999"},
        {kBin + "/offschedctl detach --cpu -3", "expected a whole number"},
        {kBin + "/offschedctl stats --interval-ms 5", "5 is not in 10..3600000"},
        {kBin + "/offsched-rtop --port 70000", "70000 is not in 0..65535"},
        {kBin + "/offsched-rtop --timeout 10000000000s", "292 years"},
        {kBin + "/offsched-traffic --flood-only --ifname lo --flood-pps -5", "expected a whole number"},
    };
    for (const Row& r : rows) {
        INFO(r.cmd);
        const Run out = run(r.cmd);
        INFO(out.out);
        CHECK(out.code == 64);
        CHECK(out.out.find(r.says) != std::string::npos);
    }
    for (const char* tool : {"offsched-sim", "offschedctl", "offsched-rtop", "offsched-traffic"}) {
        const Run v = run(kBin + "/" + tool + " --version");
        INFO(tool << ": " << v.out);
        CHECK(v.code == 0);
        CHECK(v.out.rfind(std::string(tool) + " (offsched) ", 0) == 0);
    }
}
