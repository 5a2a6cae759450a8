// Runs the offsched-sim binary (OFFSCHED_SIM_BINARY, set by the test target) as a shell command
// and collects its output and exit code: tests of the CLI and of shipped scenarios' tables.
#pragma once

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

#include <catch2/catch.hpp>

namespace offsched::test {

struct SimOutcome {
    int exit_code = -1;
    std::string out; // stdout, plus stderr if the command redirects it
};

// Any shell command line: what it printed on stdout and its exit code.
inline SimOutcome run_shell(const std::string& cmd)
{
    SimOutcome o;
    std::FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::array<char, 4096> buf;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
    const int status = pclose(p);
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return o;
}

// args: everything after the binary, including any redirection ("... 2>&1").
inline SimOutcome run_sim(const std::string& args) { return run_shell(std::string(OFFSCHED_SIM_BINARY) + " " + args); }

} // namespace offsched::test
