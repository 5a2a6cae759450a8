#include "tools/lib/signal_cleanup.h"

#include <csignal>
#include <cstring>

#include <limits.h>
#include <unistd.h>

namespace offsched::tools {

namespace {

constexpr int kSlots = 256;
char g_paths[kSlots][PATH_MAX];
volatile sig_atomic_t g_used[kSlots];
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void on_signal(int sig)
{
    for (int i = 0; i < kSlots; ++i)
        if (g_used[i]) ::unlink(g_paths[i]);
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

void keep_on_signal(const std::string& path)
{
    for (int i = 0; i < kSlots; ++i)
        if (g_used[i] && path == g_paths[i]) g_used[i] = 0;
}

} // namespace offsched::tools
