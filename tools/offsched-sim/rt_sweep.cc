#include "tools/offsched-sim/rt_sweep.h"

#include <algorithm>

#include <fmt/format.h>

#include "tools/lib/human_units.h"

namespace offsched::tools {

namespace {

bool any_of_results(const std::vector<SweepPoint>& points, bool (*f)(const sim::DesignResult&))
{
    return std::any_of(points.begin(), points.end(),
                       [&](const SweepPoint& p) { return std::any_of(p.results.begin(), p.results.end(), f); });
}

} // namespace

bool is_timer_rt_sweep(const std::vector<SweepPoint>& points)
{
    return any_of_results(points, [](const sim::DesignResult& r) { return !r.timer_path.empty() || !r.rt_path.empty(); }) &&
           !any_of_results(points, [](const sim::DesignResult& r) { return r.legit_attempts > 0; });
}

std::string render_timer_rt_sweep(const SweepGrid& grid, const std::vector<SweepPoint>& points)
{
    const bool timers = any_of_results(points, [](const sim::DesignResult& r) { return !r.timer_path.empty(); });
    const bool jobs = any_of_results(points, [](const sim::DesignResult& r) { return !r.rt_path.empty(); });
    std::string out;
    const size_t w = label_width(grid, points);
    for (size_t d = 0; d < points.front().results.size(); ++d) {
        out += fmt::format("\n{}\n  {:>{}}", points.front().results[d].design, axes_heading(grid), w);
        if (timers) out += fmt::format("{:>14}{:>14}{:>14}", "timer p50", "timer p99", "timer max");
        if (jobs) out += fmt::format("{:>16}{:>14}", "missed/jobs", "max response");
        out += "\n";
        for (const SweepPoint& p : points) {
            const sim::DesignResult& r = p.results[d];
            out += fmt::format("  {:>{}}", coords_label(p.coords), w);
            if (timers && r.timer_samples)
                out += fmt::format("{:>14}{:>14}{:>14}", format_ns(r.timer_err_p50_ns), format_ns(r.timer_err_p99_ns),
                                   format_ns(r.timer_err_max_ns));
            else if (timers)
                out += fmt::format("{:>14}{:>14}{:>14}", "-", "-", "-");
            if (jobs)
                out += fmt::format("{:>16}{:>14}", fmt::format("{}/{}", r.rt_deadline_misses, r.rt_releases),
                                   r.rt_path.empty() ? std::string("-") : format_ns(r.rt_max_response_ns));
            out += "\n";
        }
    }
    return out;
}

} // namespace offsched::tools
