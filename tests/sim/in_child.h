// SystemC elaborates once per process, so every unit test that builds modules runs its body in
// a forked child and sends back what it measured as JSON; the parent makes the assertions.
#pragma once

#include <functional>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

namespace simtest {

inline nlohmann::json in_child(const std::function<nlohmann::json()>& body)
{
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        std::string out;
        try {
            out = body().dump();
        } catch (const std::exception& e) {
            out = nlohmann::json{{"exception", e.what()}}.dump();
        }
        const bool ok = write(fds[1], out.data(), out.size()) == static_cast<ssize_t>(out.size());
        _exit(ok ? 0 : 3);
    }
    close(fds[1]);
    std::string text;
    char buf[65536];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    INFO("child output: " << text);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    nlohmann::json j = nlohmann::json::parse(text);
    if (j.is_object() && j.contains("exception")) FAIL("child threw: " << j["exception"].get<std::string>());
    return j;
}

} // namespace simtest
