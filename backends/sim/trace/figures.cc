#include "backends/sim/trace/figures.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "backends/sim/trace/trace_session.h"

namespace offsched::sim::trace {

namespace {

// Modes in stacking order (busy at the bottom, idle on top) and their colours.
struct ModeStyle {
    CpuMode mode;
    const char* color;
};
constexpr ModeStyle kModeStyles[] = {
    {CpuMode::Hardirq, "#e15759"}, {CpuMode::Softirq, "#f28e2b"}, {CpuMode::Ksoftirqd, "#edc948"},
    {CpuMode::User, "#59a14f"},    {CpuMode::Service, "#4e79a7"}, {CpuMode::Idle, "#d9d9d9"},
};

// Simulated time in ms, or in s for runs of two seconds and more.
struct TimeAxis {
    double ns_per_unit;
    const char* unit;
};
TimeAxis time_axis(const Series& s)
{
    return s.bin_ns * kSeriesBins >= 2000000000ull ? TimeAxis{1e9, "s"} : TimeAxis{1e6, "ms"};
}

std::vector<double> bin_centres(const Series& s, size_t bins)
{
    std::vector<double> x;
    for (size_t b = 0; b < bins; ++b) x.push_back((static_cast<double>(b) + 0.5) * static_cast<double>(s.bin_ns) / time_axis(s).ns_per_unit);
    return x;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One line per design over the bins, y = value(series, bin).
template <typename Value>
void add_design_lines(Chart& ch, const std::vector<Series>& designs, Value value)
{
    for (size_t d = 0; d < designs.size(); ++d) {
        const Series& s = designs[d];
        if (ch.x.empty()) ch.x = bin_centres(s, s.attempts.size());
        ChartSeries line{s.design, palette_color(d), {}, {}, {}};
        for (size_t b = 0; b < s.attempts.size(); ++b) line.y.push_back(value(s, b));
        ch.series.push_back(std::move(line));
    }
}

} // namespace

std::vector<Chart> cpu_charts(const Series& s)
{
    std::vector<Chart> charts;
    for (size_t c = 0; c < s.core_mode_ns.size(); ++c) {
        const auto& bins = s.core_mode_ns[c];
        Chart ch;
        ch.title = fmt::format("{}: core {} ({})", s.design, c, s.core_roles[c]);
        ch.x_label = fmt::format("simulated time ({})", time_axis(s).unit);
        ch.y_label = "% of core";
        ch.x = bin_centres(s, bins.size());
        ch.stacked = true;
        ch.y_max = 100;
        ch.width = 520;
        ch.height = 240;
        for (const ModeStyle& m : kModeStyles) {
            ChartSeries line{cpu_mode_name(m.mode), m.color, {}, {}, {}};
            for (const auto& b : bins) {
                uint64_t total = 0;
                for (uint64_t v : b) total += v;
                line.y.push_back(total ? 100.0 * static_cast<double>(b[static_cast<size_t>(m.mode)]) / static_cast<double>(total) : 0.0);
            }
            ch.series.push_back(std::move(line));
        }
        charts.push_back(std::move(ch));
    }
    return charts;
}

Chart legit_success_chart(const std::vector<Series>& designs)
{
    Chart ch;
    ch.title = "legitimate connections that got through, by start time";
    if (!designs.empty()) ch.x_label = fmt::format("connection started at ({})", time_axis(designs[0]).unit);
    ch.y_label = "success %";
    ch.y_max = 100;
    ch.connect_gaps = true; // a bin where nobody tried says nothing: join its neighbours
    // As the results table counts: attempts whose whole connect timeout fits in the run.
    add_design_lines(ch, designs, [](const Series& s, size_t b) {
        const bool decided = (b + 1) * s.bin_ns + s.connect_timeout_ns <= s.bin_ns * s.attempts.size();
        return decided && s.attempts[b] ? 100.0 * static_cast<double>(s.established[b]) / static_cast<double>(s.attempts[b]) : kNaN;
    });
    return ch;
}

Chart legit_latency_chart(const std::vector<Series>& designs)
{
    Chart ch;
    ch.title = "connect latency (first SYN to accept), mean per bin";
    if (!designs.empty()) ch.x_label = fmt::format("accepted at ({})", time_axis(designs[0]).unit);
    ch.y_label = "latency (ms)";
    add_design_lines(ch, designs, [](const Series& s, size_t b) {
        return s.accepted[b] ? static_cast<double>(s.latency_sum_ns[b]) / static_cast<double>(s.accepted[b]) / 1e6 : kNaN;
    });
    // Seconds-long latencies (SYN retransmits) read better in seconds than in thousands of ms.
    double top = 0;
    for (const auto& line : ch.series)
        for (double v : line.y)
            if (std::isfinite(v)) top = std::max(top, v);
    if (top >= 2000) {
        ch.y_label = "latency (s)";
        for (auto& line : ch.series)
            for (double& v : line.y) v /= 1000;
    }
    return ch;
}

bool write_run_figures(const std::string& dir, const std::vector<Series>& designs, std::string* error)
{
    for (const Series& s : designs) {
        if (!write_text_atomically(cpu_figure_path_for(dir, s.design), render_svg_grid(cpu_charts(s), 2), error)) return false;
    }
    return write_text_atomically(dir + "/legit.svg", render_svg_grid({legit_success_chart(designs), legit_latency_chart(designs)}, 1), error);
}

bool write_sweep_figure(const std::string& dir, const std::string& key, const std::vector<double>& values,
                        const std::vector<SweepCurve>& curves, bool log_x, std::string* error)
{
    Chart success, latency;
    success.title = "legitimate connections that got through";
    success.y_label = "success %";
    success.y_max = 100;
    latency.title = "connect latency p99";
    latency.y_label = "p99 (ms)";
    for (Chart* c : {&success, &latency}) {
        c->x = values;
        c->x_label = key;
        c->log_x = log_x;
    }
    for (size_t d = 0; d < curves.size(); ++d) {
        success.series.push_back({curves[d].design, palette_color(d), curves[d].success_percent, curves[d].success_lo, curves[d].success_hi});
        latency.series.push_back({curves[d].design, palette_color(d), curves[d].p99_ms, curves[d].p99_lo, curves[d].p99_hi});
    }
    return write_text_atomically(dir + "/sweep.svg", render_svg_grid({success, latency}, 1), error);
}

} // namespace offsched::sim::trace
