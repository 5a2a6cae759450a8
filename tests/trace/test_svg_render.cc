// SVG charts and the --plot figures, rendered to PNG by librsvg and checked by their pixels.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include "backends/sim/trace/figures.h"
#include "backends/sim/trace/series_sink.h"
#include "tests/trace/png_image.h"
#include "tests/trace/synthetic_run.h"
#include "tests/trace/test_dir.h"

using namespace offsched;
using namespace offsched::sim::trace;

namespace {

std::string save(const std::string& path, const std::string& svg)
{
    std::ofstream(path) << svg;
    return path;
}

// The plot frame of a single chart at the origin (svg_chart.cc margins).
constexpr uint32_t kX0 = 64, kY0 = 28;

} // namespace

TEST_CASE("a line chart renders at its size with its lines inside the plot area", "[trace][svg]")
{
    test::TestDir dir;
    Chart c;
    c.title = "two lines & a <gap>";
    c.x = {1, 2, 3, 4, 5};
    c.series = {{"rising", "#ff0000", {0, 10, 20, 30, 40}, {}, {}}, {"gap", "#0000ff", {5, 5, NAN, 5, 5}, {}, {}}};
    const auto png = test::render_svg_to_png(save(dir / "line.svg", render_svg(c)));
    CHECK(png.width == uint32_t(c.width));
    CHECK(png.height == uint32_t(c.height));
    const uint32_t x1 = c.width - 150, y1 = c.height - 44;
    CHECK(png.count(0xff0000, kX0 + 2, kY0 + 2, x1 - 2, y1 - 2) > 100);
    CHECK(png.count(0x0000ff, kX0 + 2, kY0 + 2, x1 - 2, y1 - 2) > 50);
    // The red line rises: its pixels near the left edge are low, near the right edge high.
    uint32_t left_y = 0, right_y = 0;
    for (uint32_t y = kY0; y < y1; ++y) {
        if (png.count(0xff0000, kX0 + 3, y, kX0 + 6, y + 1)) left_y = y;
        if (png.count(0xff0000, x1 - 6, y, x1 - 3, y + 1) && !right_y) right_y = y;
    }
    CHECK(left_y > right_y + 100);
    // No blue where the value is missing (x = 3, the middle of the plot) at y = 5.
    const uint32_t mid = (kX0 + x1) / 2;
    CHECK(png.count(0x0000ff, mid - 3, kY0, mid + 3, y1) == 0);
}

TEST_CASE("a stacked chart fills the plot area band by band", "[trace][svg]")
{
    test::TestDir dir;
    Chart c;
    c.stacked = true;
    c.y_max = 100;
    c.x = {0, 1, 2, 3};
    c.series = {{"bottom", "#e15759", {25, 25, 25, 25}, {}, {}}, {"top", "#4e79a7", {75, 75, 75, 75}, {}, {}}};
    const auto png = test::render_svg_to_png(save(dir / "stack.svg", render_svg(c)));
    const uint32_t x1 = c.width - 150, y1 = c.height - 44, h = y1 - kY0, w = x1 - kX0;
    const size_t red = png.count(0xe15759, kX0 + 1, kY0 + 1, x1 - 1, y1 - 1);
    const size_t blue = png.count(0x4e79a7, kX0 + 1, kY0 + 1, x1 - 1, y1 - 1);
    CHECK(red == Approx(0.25 * w * h).epsilon(0.05));
    CHECK(blue == Approx(0.75 * w * h).epsilon(0.05));
    // Bottom band at the bottom.
    CHECK(png.count(0xe15759, kX0 + 10, y1 - 10, kX0 + 11, y1 - 9) == 1);
}

TEST_CASE("the figures of a run (--plot) show where each core's time went", "[trace][svg]")
{
    test::TestDir dir;
    const test::SyntheticRun run, fewer{.connections = 5};
    SeriesSink base(test::synthetic_layout(run, "baseline", 0)), off(test::synthetic_layout(run, "offsched", 1));
    test::drive(run, &base);
    test::drive(fewer, &off);
    std::string error;
    REQUIRE(write_run_figures(dir.path().string(), {base.series(), off.series()}, &error));

    // Synthetic cores: hardirq 2 us, softirq 8 us of every 50 us => 4 % and 16 %.
    const auto& bins = base.series().core_mode_ns[0];
    uint64_t total = 0, soft = 0;
    for (const auto& b : bins) {
        for (uint64_t v : b) total += v;
        soft += b[size_t(sim::CpuMode::Softirq)];
    }
    CHECK(total == run.end_ns);
    CHECK(soft * 100 / total == 16);

    const auto cpu = test::render_svg_to_png(dir / "cpu.baseline.svg");
    CHECK(cpu.width == 1040); // two charts per row, 520 wide
    CHECK(cpu.height == 480); // three cores: two rows of 240
    const size_t plot = (520 - 64 - 150) * (240 - 28 - 44);
    const size_t softirq_px = cpu.count(0xf28e2b, kX0, kY0, 520 - 150, 240 - 44);
    // Narrow softirq peaks are partly anti-aliased edges: check the share roughly.
    CHECK(softirq_px > plot * 5 / 100);
    CHECK(softirq_px < plot * 25 / 100);
    CHECK(cpu.count(0x4e79a7, kX0, 240 + kY0, 520 - 150, 480 - 44) > plot / 2); // core 2: service 80 %
    CHECK(cpu.count(0x4e79a7, kX0, kY0, 520 - 150, 240 - 44) == 0);           // core 0: no service
    CHECK(cpu.count(0xf8f8f8, 520, 240, 1040, 480) > 520 * 240 * 95 / 100);    // empty fourth cell

    const auto legit = test::render_svg_to_png(dir / "legit.svg");
    CHECK(legit.width == 640);
    CHECK(legit.height == 600);
    // Baseline: connections 2, 5, 8 give up: its success line dips to 0 % at their start times.
    CHECK(legit.count(0x4e79a7, kX0, kY0, 640 - 150, 300 - 44) > 500);
    CHECK(legit.count(0x4e79a7, kX0, 300 - 44 - 4, 640 - 150, 300 - 44) > 10); // at 0 %
    CHECK(legit.count(0xf28e2b, kX0, 300 + kY0, 640 - 150, 600 - 44) > 30);  // offsched latency points
}

TEST_CASE("the sweep figure draws one curve per design on a log axis", "[trace][svg]")
{
    test::TestDir dir;
    std::string error;
    REQUIRE(write_sweep_figure(dir.path().string(), "flood.rate_pps", {1e4, 1e5, 1e6, 1e7},
                               {{"baseline", {100, 90, 10, 0}, {1, 3, 900, NAN}, {}, {}, {}, {}},
                                {"offsched", {100, 100, 100, 99}, {1, 1, 1, 2}, {}, {}, {}, {}}}, true,
                               &error));
    const auto png = test::render_svg_to_png(dir / "sweep.svg");
    CHECK(png.width == 640);
    CHECK(png.height == 600);
    CHECK(png.count(0x4e79a7, kX0, kY0, 640 - 150, 300 - 44) > 100);
    CHECK(png.count(0xf28e2b, kX0, kY0, 640 - 150, 300 - 44) > 100);
}

TEST_CASE("a spread across seeds is drawn as one error bar per point that has one", "[trace][svg]")
{
    Chart c;
    c.x = {1, 2, 3};
    c.series.push_back({"offsched", palette_color(0), {50, 60, 70}, {40, NAN, 65}, {55, NAN, 90}});
    const std::string svg = render_svg(c);
    size_t bars = 0;
    for (size_t at = svg.find("stroke-width=\"1\" fill=\"none\""); at != std::string::npos; at = svg.find("stroke-width=\"1\" fill=\"none\"", at + 1))
        ++bars;
    CHECK(bars == 2); // the middle point has no spread
    c.series[0].lo.clear();
    c.series[0].hi.clear();
    const std::string plain = render_svg(c);
    CHECK(plain.find("stroke-width=\"1\" fill=\"none\"") == std::string::npos);
}
