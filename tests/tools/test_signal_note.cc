// The note an interrupted tool leaves (tools/lib/signal_cleanup.h): it reports the count as it
// stands when the signal is handled, and a signal that arrives while SignalsHeld lives waits
// until the work it guards is done, so the count and what was kept never disagree.
#include <catch2/catch.hpp>

#include <csignal>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include "tools/lib/signal_cleanup.h"

namespace {

// Runs `body` in a child whose stderr is a pipe; returns what the child wrote there and how it ended.
template <typename Body> std::string child_note(Body body, int* term_signal)
{
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(fds[1], STDERR_FILENO);
        ::close(fds[0]);
        offsched::tools::install_signal_cleanup();
        offsched::tools::set_signal_note("kept ", " of 3\n");
        body();
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string out;
    char buf[256];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    *term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return out;
}

} // namespace

TEST_CASE("signal note: a signal held during the work it guards reports the count that work reached")
{
    int sig = 0;
    // Unheld: the signal ends the child at once, with the count as it was.
    CHECK(child_note([] {
              offsched::tools::signal_note_count(1);
              ::kill(::getpid(), SIGINT);
              offsched::tools::signal_note_count(2);
          }, &sig) == "kept 1 of 3\n");
    CHECK(sig == SIGINT);
    // Held: the result is kept and counted before the signal is taken.
    CHECK(child_note([] {
              offsched::tools::signal_note_count(1);
              {
                  const offsched::tools::SignalsHeld held;
                  ::kill(::getpid(), SIGINT);
                  offsched::tools::signal_note_count(2);
              }
              offsched::tools::signal_note_count(3); // never reached: the signal ends it first
          }, &sig) == "kept 2 of 3\n");
    CHECK(sig == SIGINT);
}
