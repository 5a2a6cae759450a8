#include "tools/offsched-sim/trace_cli.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "backends/sim/trace/figures.h"
#include "backends/sim/trace/perfetto_writer.h"
#include "backends/sim/trace/trace_session.h"
#include "backends/sim/trace/vcd_sink.h"
#include "tools/lib/atomic_file.h"
#include "tools/lib/human_units.h"
#include "tools/lib/quantity.h"
#include "tools/lib/signal_cleanup.h"
#include "tools/offsched-sim/sweep_stats.h"

namespace offsched::tools {

namespace {
constexpr uint64_t kDefaultTraceWindowNs = 100'000'000; // 100 ms: ~35 MB for syn_flood at line rate
} // namespace

void add_trace_options(CLI::App& app, TraceCli* o)
{
    app.add_option("--trace", o->trace,
                   "write a Perfetto/Chrome trace (JSON) to FILE: one process per design, a track per core and NIC queue, "
                   "arrows following ssh connections (open in ui.perfetto.dev)");
    app.add_option("--trace-window", o->window,
                   "with --trace: only simulated time FROM:TO, e.g. 50ms:60ms, or 'all' (default: 100 ms from the end of "
                   "the warm-up, a size Perfetto opens; a whole line-rate run is gigabytes)");
    app.add_option("--trace-sample", o->sample, "with --trace: follow every Nth legitimate connection (default 1: all)")
        ->check(CLI::Validator([](std::string& v) { return v.find_first_not_of("0123456789") == std::string::npos && v.find_first_not_of('0') != std::string::npos && v.size() <= 9 ? std::string() : "expected a whole number from 1 to 999999999, got '" + v + "'"; }, "N >= 1"));
    app.add_option("--vcd", o->vcd, "write SystemC waveforms (VCD, for GTKWave) to FILE; several designs: FILE.<design>.vcd");
    app.add_option("--plot", o->plot, "write SVG figures to DIR: CPU time per core, legitimate success and latency over time, "
                                      "with --sweep the output-versus-input curves");
}

bool apply_trace_options(const TraceCli& o, bool sweep, sim::Scenario* s, std::string* error)
{
    sim::trace::TraceOptions& t = s->trace;
    if (sweep && (!o.trace.empty() || !o.vcd.empty())) {
        *error = "--trace and --vcd record one run; with --sweep use --plot (or trace one point with --set)";
        return false;
    }
    if (o.trace.empty() && (!o.window.empty() || o.sample != 1)) {
        *error = "--trace-window and --trace-sample need --trace";
        return false;
    }
    if (!o.trace.empty() && o.window.empty() && !s->designs.empty()) {
        // The default: a window Perfetto opens (the whole run of a line-rate flood is gigabytes).
        const sim::RunParams& run = s->designs.front().params.run;
        t.window_from_ns = run.warmup_ns < run.duration_ns ? run.warmup_ns : 0;
        t.window_to_ns = std::min(run.duration_ns, t.window_from_ns + kDefaultTraceWindowNs);
        std::fprintf(stderr, "offsched-sim: --trace records %s..%s of the run; --trace-window all records everything\n",
                     format_ns(t.window_from_ns).c_str(), format_ns(t.window_to_ns).c_str());
    } else if (!o.window.empty() && o.window != "all") {
        const size_t colon = o.window.find(':');
        std::string why;
        const auto from = colon == std::string::npos ? std::nullopt : parse_quantity(o.window.substr(0, colon), "ns", &why);
        const auto to = from ? parse_quantity(o.window.substr(colon + 1), "ns", &why) : std::nullopt;
        if (!from || !to) {
            *error = fmt::format("--trace-window: expected FROM:TO in simulated time (e.g. 50ms:60ms), got '{}'{}", o.window,
                                 why.empty() ? "" : ": " + why);
            return false;
        }
        if (*to <= *from) {
            *error = fmt::format("--trace-window: {} does not end after it starts", o.window);
            return false;
        }
        t.window_from_ns = *from;
        t.window_to_ns = *to;
    }
    t.perfetto_path = o.trace;
    t.vcd_path = o.vcd;
    t.sample_every = o.sample;
    if (!o.plot.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(o.plot, ec);
        if (ec) {
            *error = fmt::format("--plot: cannot create {}: {}", o.plot, ec.message());
            return false;
        }
        if (!sweep) t.series_dir = o.plot; // a sweep's figure is drawn from its results alone
    }
    return true;
}

bool finish_outputs(const sim::Scenario& s, std::string* error)
{
    const uint32_t n = static_cast<uint32_t>(s.designs.size());
    for (uint32_t i = 0; i < n && !s.trace.vcd_path.empty(); ++i) // the run is complete: they stay
        keep_on_signal(sim::trace::vcd_path_for(s.trace.vcd_path, s.designs[i].name, n));
    std::vector<sim::trace::DesignOutputs> designs;
    for (const auto& d : s.designs) designs.push_back({d.name, d.params.legit.connect_timeout_ns});
    return sim::trace::finish_trace_outputs(s.trace, designs, error);
}

void remove_trace_temporaries_on_signal(const sim::Scenario& s)
{
    const uint32_t n = static_cast<uint32_t>(s.designs.size());
    for (uint32_t i = 0; i < n; ++i) {
        if (!s.trace.perfetto_path.empty()) {
            const std::string part = sim::trace::perfetto_part_path(s.trace.perfetto_path, i);
            remove_on_signal(part);
            remove_on_signal(part + ".tmp");
        }
        if (!s.trace.vcd_path.empty()) { // a finished design's VCD too: an interrupted run leaves no half set
            const std::string vcd = sim::trace::vcd_path_for(s.trace.vcd_path, s.designs[i].name, n);
            remove_on_signal(vcd);
            remove_on_signal(sim::trace::vcd_temporary_path(vcd));
        }
    }
    if (!s.trace.perfetto_path.empty()) remove_on_signal(s.trace.perfetto_path + ".tmp");
}

void discard_outputs(const sim::Scenario& s)
{
    if (s.trace.perfetto_path.empty()) return;
    for (uint32_t i = 0; i < s.designs.size(); ++i) std::remove(sim::trace::perfetto_part_path(s.trace.perfetto_path, i).c_str());
}

bool write_sweep_plot(const TraceCli& o, const SweepGrid& grid, const std::vector<SweepPoint>& points, std::string* error)
{
    if (o.plot.empty() || points.empty() || grid.axes.empty()) return true;
    // x: the first axis; one curve per design and combination of the other axes' values.
    const SweepAxis& first = grid.axes.front();
    const auto groups = by_coordinates(points); // coordinate order: the first axis outermost
    const size_t rest = groups.size() / first.values.size();
    std::vector<double> x;
    for (const std::string& v : first.values) x.push_back(static_cast<double>(std::stoull(v)));
    std::vector<sim::trace::SweepCurve> curves;
    const bool spread_shown = grid.seeds > 1;
    for (size_t d = 0; d < points[0].results.size(); ++d)
        for (size_t r = 0; r < rest; ++r) {
            sim::trace::SweepCurve c{points[0].results[d].design, {}, {}, {}, {}, {}, {}};
            const auto& coords = groups[r].front()->coords;
            for (size_t a = 1; a < grid.axes.size(); ++a) c.design += fmt::format(" {}={}", grid.axes[a].key, coords[a]);
            for (size_t i = 0; i < first.values.size(); ++i) {
                std::vector<double> ok, p99;
                for (const SweepPoint* p : groups[i * rest + r]) {
                    const sim::DesignResult& res = p->results[d];
                    if (res.legit_attempts) ok.push_back(static_cast<double>(res.legit_success_ppm) / 1e4);
                    if (res.legit_established) p99.push_back(static_cast<double>(res.connect_p99_ns) / 1e6);
                }
                const Spread so = spread(ok), sp = spread(p99);
                c.success_percent.push_back(so.n ? so.mean : NAN);
                c.p99_ms.push_back(sp.n ? sp.mean : NAN);
                if (!spread_shown) continue;
                c.success_lo.push_back(so.n ? so.min : NAN);
                c.success_hi.push_back(so.n ? so.max : NAN);
                c.p99_lo.push_back(sp.n ? sp.min : NAN);
                c.p99_hi.push_back(sp.n ? sp.max : NAN);
            }
            curves.push_back(std::move(c));
        }
    const bool log_x = first.log && x.front() > 0;
    return sim::trace::write_sweep_figure(o.plot, first.key, x, curves, log_x, error);
}

} // namespace offsched::tools
