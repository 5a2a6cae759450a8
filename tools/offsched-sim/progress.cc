#include "tools/offsched-sim/progress.h"

#include <cstdio>
#include <unistd.h>

#include <fmt/format.h>

#include "backends/sim/trace/run_progress.h"
#include "tools/lib/human_units.h"

namespace offsched::tools {

Progress::Progress(size_t total, bool enabled)
    : total_(total), enabled_(enabled && isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now())
{
}

Progress::~Progress()
{
    stop_watch();
    if (enabled_) std::fprintf(stderr, "\r\033[K");
}

// item_fraction: how much of the current item is done (0 when unknown).
void Progress::draw(const std::string& extra, double item_fraction)
{
    const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_).count();
    const double done = static_cast<double>(done_ - 1) + item_fraction;
    std::string eta = "?";
    if (done > 0) eta = std::to_string(static_cast<long>(static_cast<double>(elapsed) * (static_cast<double>(total_) - done) / done)) + " s";
    std::fprintf(stderr, "\r\033[K[%zu/%zu] %s%s  (wall %ld s, eta %s)", done_, total_, what_.c_str(), extra.c_str(),
                 static_cast<long>(elapsed), eta.c_str());
    std::fflush(stderr);
}

void Progress::step(const std::string& what)
{
    if (!enabled_) return;
    stop_watch();
    what_ = what;
    ++done_;
    draw("", 0);
}

void Progress::simulating(uint64_t duration_ns, size_t designs)
{
    if (!enabled_ || designs == 0 || duration_ns == 0 || !sim::trace::progress_share_open(designs)) return;
    sim_ns_ = duration_ns;
    sim_designs_ = designs;
    watching_ = true;
    watcher_ = std::thread([this] {
        while (watching_) {
            for (int i = 0; i < 5 && watching_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
            draw_simulated();
        }
    });
}

void Progress::draw_simulated()
{
    uint64_t sum = 0;
    for (size_t d = 0; d < sim_designs_; ++d) sum += sim::trace::progress_reached_ns(d);
    // Designs may run fewer at a time than there are (-j): the mean over all of them is what the ETA rests on.
    draw(fmt::format("  simulated {} of {} per design", format_ns(sum / sim_designs_), format_ns(sim_ns_)),
         static_cast<double>(sum) / static_cast<double>(sim_ns_ * sim_designs_));
}

void Progress::stop_watch()
{
    if (!watching_) return;
    watching_ = false;
    watcher_.join();
    draw_simulated(); // the final figures, however short the run was
    sim::trace::progress_share_close();
}

JobProgress::JobProgress(size_t total, size_t already_done, bool enabled)
    : total_(total), at_start_(already_done), enabled_(enabled && isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now())
{
}

JobProgress::~JobProgress()
{
    if (enabled_) std::fprintf(stderr, "\r\033[K");
}

void JobProgress::update(size_t done, size_t running, const std::string& last)
{
    if (!enabled_) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const size_t here = done - at_start_; // resumed simulations took no time in this run
    std::string eta = "?";
    if (here > 0) eta = fmt::format("{:.0f} s", elapsed * static_cast<double>(total_ - done) / static_cast<double>(here));
    std::fprintf(stderr, "\r\033[K[%zu/%zu] simulations, %zu running, last %s  (wall %.0f s, eta %s)", done, total_, running,
                 last.c_str(), elapsed, eta.c_str());
    std::fflush(stderr);
}

} // namespace offsched::tools
