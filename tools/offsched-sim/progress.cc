#include "tools/offsched-sim/progress.h"

#include <cstdio>
#include <unistd.h>

namespace offsched::tools {

Progress::Progress(size_t total, bool enabled)
    : total_(total), enabled_(enabled && isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now())
{
}

Progress::~Progress()
{
    if (enabled_) std::fprintf(stderr, "\r\033[K");
}

void Progress::step(const std::string& what)
{
    if (!enabled_) return;
    const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_).count();
    std::string eta = "?";
    if (done_ > 0) eta = std::to_string(elapsed * static_cast<long>(total_ - done_) / static_cast<long>(done_)) + " s";
    std::fprintf(stderr, "\r\033[K[%zu/%zu] %s  (wall %ld s, eta %s)", done_ + 1, total_, what.c_str(), static_cast<long>(elapsed), eta.c_str());
    std::fflush(stderr);
    ++done_;
}

} // namespace offsched::tools
