// The --plot figures, as SVG files in a directory:
//   cpu.<design>.svg   per core, where its time went (modes stacked, % of each bin) over time
//   legit.svg          legitimate connections: success rate and mean connect latency over time,
//                      one line per design
//   sweep.svg          with --sweep: legitimate success and p99 connect latency versus the first
//                      axis, one line per design (and value of the other axes), the mean across
//                      seeds with their min..max as error bars
#pragma once

#include <string>
#include <vector>

#include "backends/sim/trace/series_sink.h"
#include "backends/sim/trace/svg_chart.h"

namespace offsched::sim::trace {

std::vector<Chart> cpu_charts(const Series& s);
Chart legit_success_chart(const std::vector<Series>& designs);
Chart legit_latency_chart(const std::vector<Series>& designs);
bool write_run_figures(const std::string& dir, const std::vector<Series>& designs, std::string* error);

struct SweepCurve {
    std::string design;                  // the legend: a design, and the other axes' values
    std::vector<double> success_percent; // per swept value (the mean across seeds)
    std::vector<double> p99_ms;
    // With several seeds: min and max per swept value, drawn as error bars (empty: none).
    std::vector<double> success_lo, success_hi, p99_lo, p99_hi;
};
bool write_sweep_figure(const std::string& dir, const std::string& key, const std::vector<double>& values,
                        const std::vector<SweepCurve>& curves, bool log_x, std::string* error);

} // namespace offsched::sim::trace
