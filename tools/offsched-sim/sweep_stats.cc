#include "tools/offsched-sim/sweep_stats.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "tools/lib/human_units.h"
#include "tools/offsched-sim/rx_report.h"

namespace offsched::tools {

namespace {

// Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom; beyond, the normal's.
double t95(size_t dof)
{
    static constexpr double kT[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                    2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                    2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    return dof == 0 ? 0 : dof <= 30 ? kT[dof - 1] : 1.960;
}

std::string percent(double v) { return fmt::format("{:.2f} %", v); }
std::string ns_figure(double v) { return format_ns(static_cast<uint64_t>(std::llround(v))); }
std::string count_figure(double v) { return format_count(static_cast<uint64_t>(std::llround(v))); }

bool any_result(const std::vector<SweepPoint>& points, const std::function<bool(const sim::DesignResult&)>& f)
{
    for (const SweepPoint& p : points)
        if (std::any_of(p.results.begin(), p.results.end(), f)) return true;
    return false;
}

std::optional<double> u64(uint64_t v) { return static_cast<double>(v); }

} // namespace

Spread spread(const std::vector<double>& values)
{
    Spread s;
    s.n = values.size();
    if (values.empty()) return s;
    double sum = 0;
    s.min = s.max = values.front();
    for (double v : values) {
        sum += v;
        s.min = std::min(s.min, v);
        s.max = std::max(s.max, v);
    }
    s.mean = sum / static_cast<double>(s.n);
    if (s.n < 2) return s;
    double squares = 0;
    for (double v : values) squares += (v - s.mean) * (v - s.mean);
    const double sd = std::sqrt(squares / static_cast<double>(s.n - 1));
    s.half_interval = t95(s.n - 1) * sd / std::sqrt(static_cast<double>(s.n));
    return s;
}

std::vector<SweepMetric> sweep_metrics(const std::vector<SweepPoint>& points)
{
    std::vector<SweepMetric> m;
    if (any_result(points, [](const auto& r) { return r.legit_attempts > 0; })) {
        m.push_back({"ssh ok", [](const sim::DesignResult& r) -> std::optional<double> {
                         if (!r.legit_attempts) return std::nullopt;
                         return static_cast<double>(r.legit_success_ppm) / 1e4;
                     }, percent});
        m.push_back({"connect p99", [](const sim::DesignResult& r) -> std::optional<double> {
                         if (!r.legit_established) return std::nullopt;
                         return static_cast<double>(r.connect_p99_ns);
                     }, ns_figure});
    }
    if (any_result(points, [](const auto& r) { return !r.timer_path.empty(); }))
        m.push_back({"timer p99", [](const sim::DesignResult& r) -> std::optional<double> {
                         if (!r.timer_samples) return std::nullopt;
                         return static_cast<double>(r.timer_err_p99_ns);
                     }, ns_figure});
    if (any_result(points, [](const auto& r) { return !r.rt_path.empty(); }))
        m.push_back({"deadline misses", [](const sim::DesignResult& r) -> std::optional<double> {
                         if (r.rt_path.empty()) return std::nullopt;
                         return u64(r.rt_deadline_misses);
                     }, count_figure});
    if (any_result(points, [](const auto& r) { return is_receive_scenario({r}); }))
        m.push_back({"delivered/s", [](const sim::DesignResult& r) { return u64(r.rx.delivered_pps); }, count_figure});
    if (any_result(points, [](const auto& r) { return r.app_consumed || r.app_socket_drops; }))
        m.push_back({"app out/s", [](const sim::DesignResult& r) { return u64(r.app_output_pps); }, count_figure});
    if (m.empty()) // nothing the scenario asks about: what got through
        m.push_back({"goodput", [](const sim::DesignResult& r) { return u64(r.goodput_bps); },
                     [](double v) { return format_bits(static_cast<uint64_t>(std::llround(v))); }});
    return m;
}

std::vector<std::vector<const SweepPoint*>> by_coordinates(const std::vector<SweepPoint>& points)
{
    std::vector<std::vector<const SweepPoint*>> groups;
    for (const SweepPoint& p : points) {
        if (groups.empty() || groups.back().front()->coords != p.coords) groups.emplace_back();
        groups.back().push_back(&p);
    }
    return groups;
}

std::string render_seed_summary(const SweepGrid& grid, const std::vector<SweepPoint>& points)
{
    if (points.empty()) return "";
    const std::vector<SweepMetric> metrics = sweep_metrics(points);
    const auto groups = by_coordinates(points);
    const size_t w = label_width(grid, points);
    // Cells first, so each column is as wide as its widest cell.
    const size_t designs = points.front().results.size();
    std::vector<std::vector<std::vector<std::string>>> cells(designs); // [design][group][metric]
    std::vector<size_t> width(metrics.size());
    for (size_t m = 0; m < metrics.size(); ++m) width[m] = metrics[m].heading.size();
    for (size_t d = 0; d < designs; ++d)
        for (const auto& g : groups) {
            std::vector<std::string> row;
            for (size_t m = 0; m < metrics.size(); ++m) {
                std::vector<double> v;
                for (const SweepPoint* p : g)
                    if (const auto x = metrics[m].value(p->results[d])) v.push_back(*x);
                const Spread s = spread(v);
                const SweepMetric& mt = metrics[m];
                row.push_back(s.n == 0 ? std::string("-")
                                       : fmt::format("{} ±{} [{}, {}]", mt.format(s.mean), mt.format(s.half_interval), mt.format(s.min),
                                                     mt.format(s.max)));
                width[m] = std::max(width[m], row.back().size());
            }
            cells[d].push_back(std::move(row));
        }
    std::string out = fmt::format("\n{} seeds per point ({} to {}): mean ±95 % interval [min, max]\n", grid.seeds, grid.base_seed,
                                  grid.base_seed + grid.seeds - 1);
    for (size_t d = 0; d < designs; ++d) {
        out += fmt::format("\n{}\n  {:>{}}", points.front().results[d].design, axes_heading(grid), w);
        for (size_t m = 0; m < metrics.size(); ++m) out += fmt::format("  {:>{}}", metrics[m].heading, width[m]);
        out += "\n";
        for (size_t g = 0; g < groups.size(); ++g) {
            out += fmt::format("  {:>{}}", coords_label(groups[g].front()->coords), w);
            for (size_t m = 0; m < metrics.size(); ++m) out += fmt::format("  {:>{}}", cells[d][g][m], width[m]);
            out += "\n";
        }
    }
    return out;
}

} // namespace offsched::tools
