#include "tools/lib/signal_cleanup.h"

#include <csignal>
#include <cstdio>
#include <cstring>

#include <limits.h>
#include <unistd.h>

namespace offsched::tools {

namespace {

constexpr int kSlots = 256;
char g_paths[kSlots][PATH_MAX];
volatile sig_atomic_t g_used[kSlots];
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
char g_note_before[512], g_note_after[PATH_MAX + 256];
volatile sig_atomic_t g_note_set;
volatile uint64_t g_note_count;
pid_t g_note_pid; // forked children inherit the handler; only the process that set the note says it

void write_text(const char* s)
{
    const ssize_t n = ::write(STDERR_FILENO, s, std::strlen(s));
    (void)n; // nothing to do if stderr is gone
}

void write_note()
{
    char digits[24];
    int i = sizeof digits;
    digits[--i] = '\0';
    uint64_t n = g_note_count;
    do digits[--i] = static_cast<char>('0' + n % 10);
    while ((n /= 10) != 0);
    write_text(g_note_before);
    write_text(digits + i);
    write_text(g_note_after);
}

extern "C" void on_signal(int sig)
{
    for (int i = 0; i < kSlots; ++i)
        if (g_used[i]) ::unlink(g_paths[i]);
    if (g_note_set && ::getpid() == g_note_pid) write_note();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

} // namespace

void install_signal_cleanup()
{
    static bool installed = false;
    if (installed) return;
    installed = true;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int s : kSignals) sigaddset(&sa.sa_mask, s); // one cleanup at a time
    for (int s : kSignals) sigaction(s, &sa, nullptr);
}

bool remove_on_signal(const std::string& path)
{
    if (path.size() >= PATH_MAX) return false;
    for (int i = 0; i < kSlots; ++i) {
        if (g_used[i]) continue;
        std::memcpy(g_paths[i], path.c_str(), path.size() + 1);
        g_used[i] = 1; // published after the path is complete
        return true;
    }
    return false;
}

void set_signal_note(const std::string& before, const std::string& after)
{
    g_note_set = 0;
    std::snprintf(g_note_before, sizeof g_note_before, "%s", before.c_str());
    std::snprintf(g_note_after, sizeof g_note_after, "%s", after.c_str());
    g_note_pid = ::getpid();
    g_note_set = 1;
}

void signal_note_count(uint64_t n) { g_note_count = n; }

SignalsHeld::SignalsHeld()
{
    sigset_t held;
    sigemptyset(&held);
    for (int s : kSignals) sigaddset(&held, s);
    sigprocmask(SIG_BLOCK, &held, &old_);
}

SignalsHeld::~SignalsHeld() { sigprocmask(SIG_SETMASK, &old_, nullptr); }

void keep_on_signal(const std::string& path)
{
    for (int i = 0; i < kSlots; ++i)
        if (g_used[i] && path == g_paths[i]) g_used[i] = 0;
}

} // namespace offsched::tools
