#include "backends/sim/run/child_process.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <csignal>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace offsched::sim {

namespace {
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
} // namespace

bool start_child(const std::function<std::string()>& body, ChildProcess* out, std::string* error)
{
    int fds[2];
    if (::pipe(fds) != 0) {
        *error = fmt::format("pipe: {}", std::strerror(errno));
        return false;
    }
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        *error = fmt::format("fork: {}", std::strerror(errno));
        ::close(fds[0]);
        ::close(fds[1]);
        return false;
    }
    if (pid == 0) {
        // A child outlives nothing: when the parent dies (killed, or interrupted), so does it.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) _exit(4); // the parent died before prctl took effect
        ::close(fds[0]);
        const bool ok = write_all(fds[1], body());
        ::close(fds[1]);
        _exit(ok ? 0 : 3); // no atexit handlers or SystemC teardown in the child
    }
    ::close(fds[1]);
    *out = ChildProcess{pid, fds[0]};
    return true;
}

ChildResult finish_child(ChildProcess& c)
{
    ChildResult r;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(c.fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        r.text.append(buf, static_cast<size_t>(n));
    }
    ::close(c.fd);
    int status = 0;
    while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {}
    r.exited = WIFEXITED(status);
    r.exit_code = r.exited ? WEXITSTATUS(status) : -1;
    r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    c = ChildProcess{};
    return r;
}

std::string ChildResult::describe() const
{
    if (exited) return fmt::format("exit status {}", exit_code);
    return fmt::format("killed by signal {} ({})", signal, strsignal(signal));
}

} // namespace offsched::sim
