// simulate(): one forked child per design (SystemC elaborates once per process), two at a time.
// A child writes "OK\n<json>" or "ERROR\n<message>" to its pipe; the parent reports a child
// that crashed or wrote nothing with the design's name and the signal or exit status.
#include "backends/sim/simulate.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/sim/machine.h"

// libsystemc's own main() calls sc_main; our executables have their own main, but the symbol
// must exist for the library to link.
int sc_main(int, char*[]) { return 1; }

namespace offsched::sim {

DesignResult simulate_design_in_process(const Scenario& s, size_t design_index)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    Machine m(s, design_index);
    m.run();
    return m.result();
}

namespace {

struct Child {
    pid_t pid = -1;
    int fd = -1;
    size_t design = 0;
};

bool write_all(int fd, const std::string& s)
{
    size_t off = 0;
    while (off < s.size()) {
        const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        off += static_cast<size_t>(n);
    }
    return true;
}

[[noreturn]] void child_main(const Scenario& s, size_t i, int fd)
{
    std::string out;
    try {
        out = "OK\n" + to_json(simulate_design_in_process(s, i)).dump();
    } catch (const std::exception& e) {
        out = std::string("ERROR\n") + e.what();
    }
    const bool ok = write_all(fd, out);
    ::close(fd);
    _exit(ok ? 0 : 3); // no atexit handlers or SystemC teardown in the child
}

Child start(const Scenario& s, size_t i, std::string* error)
{
    int fds[2];
    if (::pipe(fds) != 0) {
        *error = fmt::format("design '{}': pipe: {}", s.designs[i].name, std::strerror(errno));
        return {};
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        *error = fmt::format("design '{}': fork: {}", s.designs[i].name, std::strerror(errno));
        ::close(fds[0]);
        ::close(fds[1]);
        return {};
    }
    if (pid == 0) {
        ::close(fds[0]);
        child_main(s, i, fds[1]);
    }
    ::close(fds[1]);
    return {pid, fds[0], i};
}

bool collect(const Scenario& s, const Child& c, DesignResult* out, std::string* error)
{
    std::string text;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(c.fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        text.append(buf, static_cast<size_t>(n));
    }
    ::close(c.fd);
    int status = 0;
    while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {}
    const std::string who = fmt::format("design '{}'", s.designs[c.design].name);
    if (WIFSIGNALED(status)) {
        *error = fmt::format("{}: simulation process killed by signal {} ({})", who, WTERMSIG(status), strsignal(WTERMSIG(status)));
        return false;
    }
    if (text.rfind("ERROR\n", 0) == 0) {
        *error = text.substr(6);
        return false;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || text.rfind("OK\n", 0) != 0) {
        *error = fmt::format("{}: simulation process exited with status {} without a result", who,
                             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return false;
    }
    try {
        *out = design_result_from_json(nlohmann::ordered_json::parse(text.substr(3)));
    } catch (const std::exception& e) {
        *error = fmt::format("{}: unreadable result: {}", who, e.what());
        return false;
    }
    return true;
}

} // namespace

bool simulate(const Scenario& s, std::vector<DesignResult>* out, std::string* error)
{
    constexpr size_t kParallel = 2; // the machines this runs on are small; more only thrashes
    out->assign(s.designs.size(), DesignResult{});
    bool ok = true;
    for (size_t base = 0; base < s.designs.size(); base += kParallel) {
        std::vector<Child> running;
        for (size_t i = base; i < s.designs.size() && i < base + kParallel; ++i) {
            Child c = start(s, i, error);
            if (c.pid < 0) { ok = false; break; }
            running.push_back(c);
        }
        for (const Child& c : running) {
            std::string e;
            if (!collect(s, c, &(*out)[c.design], &e) && ok) {
                ok = false;
                *error = e;
            }
        }
        if (!ok) return false;
    }
    return true;
}

} // namespace offsched::sim
