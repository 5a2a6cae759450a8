// A small SVG chart writer for the --plot figures: line charts (gaps where a value is NaN) and
// stacked area charts, linear or logarithmic x axis, "nice" ticks, a legend. Figures only: the
// simulation itself never sees these doubles.
#pragma once

#include <string>
#include <vector>

namespace offsched::sim::trace {

struct ChartSeries {
    std::string name;
    std::string color;     // any SVG colour ("#d62728")
    std::vector<double> y; // one per chart x; NaN: no value (a gap in a line)
    // Optional, per x: a spread around y (min and max across seeds) drawn as an error bar.
    std::vector<double> lo, hi;
};

struct Chart {
    std::string title, x_label, y_label;
    std::vector<double> x;            // increasing
    std::vector<ChartSeries> series;
    bool stacked = false;             // areas stacked bottom-up in series order
    bool log_x = false;
    bool connect_gaps = false;        // lines skip NaN points instead of breaking there
    double y_min = 0;
    double y_max = 0;                 // 0: from the data
    int width = 640, height = 300;
};

// One chart as a complete SVG document.
std::string render_svg(const Chart& chart);
// Several charts in a grid of `columns`, in one SVG document.
std::string render_svg_grid(const std::vector<Chart>& charts, int columns);

// A colour per series index, distinguishable and colour-blind friendly (Tableau 10).
const char* palette_color(size_t i);

} // namespace offsched::sim::trace
