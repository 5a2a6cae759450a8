#include "backends/sim/trace/svg_chart.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace offsched::sim::trace {

namespace {

constexpr int kLeft = 64, kRight = 150, kTop = 28, kBottom = 44; // plot area margins (legend right)

std::string escape(const std::string& s)
{
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

// Tick labels as people write rates: 500, 20k, 1.5M.
std::string label(double v)
{
    if (std::abs(v) < 1e-12) return "0";
    for (auto [scale, suffix] : {std::pair{1e9, "G"}, {1e6, "M"}, {1e3, "k"}})
        if (std::abs(v) >= scale) return fmt::format("{:g}{}", v / scale, suffix);
    return fmt::format("{:g}", v);
}

// 1, 2 or 5 times a power of ten, giving about `want` intervals over [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int want)
{
    const double raw = (hi - lo) / want;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * mag) {
            step = m * mag;
            break;
        }
    std::vector<double> ticks;
    for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push_back(t);
    return ticks;
}

struct Frame {
    double x0, y0, w, h; // plot area in SVG units
    double xlo, xhi, ylo, yhi;
    bool log_x;
    double px(double x) const
    {
        const double f = log_x ? (std::log10(x) - std::log10(xlo)) / (std::log10(xhi) - std::log10(xlo)) : (x - xlo) / (xhi - xlo);
        return x0 + f * w;
    }
    double py(double y) const { return y0 + h - (std::clamp(y, ylo, yhi) - ylo) / (yhi - ylo) * h; }
};

void axes(std::string& out, const Chart& c, const Frame& f)
{
    out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#ffffff\" stroke=\"#444\"/>\n", f.x0, f.y0,
                       f.w, f.h);
    for (double t : nice_ticks(f.ylo, f.yhi, 5)) {
        const double y = f.py(t);
        out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>\n", f.x0, y, f.x0 + f.w, y);
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", f.x0 - 4, y + 4, label(t));
    }
    std::vector<double> xt;
    if (f.log_x)
        for (double d = std::pow(10.0, std::floor(std::log10(f.xlo))); d <= f.xhi * 1.0001; d *= 10)
            for (double m : {1.0, 2.0, 5.0}) // 2 and 5 only while they fit
                if ((m == 1.0 || f.xhi / f.xlo < 1000) && d * m >= f.xlo * 0.9999 && d * m <= f.xhi * 1.0001) xt.push_back(d * m);
    if (!f.log_x) xt = nice_ticks(f.xlo, f.xhi, 6);
    for (double t : xt) {
        const double x = f.px(t);
        out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#444\"/>\n", x, f.y0 + f.h, x, f.y0 + f.h + 4);
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", x, f.y0 + f.h + 16, label(t));
    }
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>\n", f.x0 + f.w / 2, f.y0 - 10,
                       escape(c.title));
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", f.x0 + f.w / 2, f.y0 + f.h + 34,
                       escape(c.x_label));
    out += fmt::format("<text transform=\"translate({:.1f},{:.1f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n", f.x0 - 46,
                       f.y0 + f.h / 2, escape(c.y_label));
}

void legend(std::string& out, const Chart& c, const Frame& f)
{
    for (size_t i = 0; i < c.series.size(); ++i) {
        const double y = f.y0 + 8 + 16 * static_cast<double>(i);
        out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" height=\"10\" fill=\"{}\"/>\n", f.x0 + f.w + 10, y - 8,
                           c.series[i].color);
        out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", f.x0 + f.w + 26, y + 1, escape(c.series[i].name));
    }
}

void chart_body(std::string& out, const Chart& c, double ox, double oy)
{
    const size_t n = c.x.size();
    double xlo = n ? c.x.front() : 0, xhi = n ? c.x.back() : 1;
    if (c.log_x) xlo = std::max(xlo, 1e-300);
    if (!(xhi > xlo)) xhi = xlo + 1;
    double yhi = c.y_max;
    if (yhi <= c.y_min) {
        for (size_t i = 0; i < n; ++i) {
            double sum = 0;
            for (const auto& s : c.series) {
                double v = i < s.y.size() && std::isfinite(s.y[i]) ? s.y[i] : 0;
                if (i < s.hi.size() && std::isfinite(s.hi[i])) v = std::max(v, s.hi[i]); // the error bar stays inside
                sum = c.stacked ? sum + v : std::max(sum, v);
            }
            yhi = std::max(yhi, sum);
        }
        if (yhi <= c.y_min) yhi = c.y_min + 1;
        // Round the top up to the next tick so the highest point sits inside the frame.
        const auto t = nice_ticks(c.y_min, yhi, 5);
        const double step = t.size() > 1 ? t[1] - t[0] : yhi - c.y_min;
        yhi = c.y_min + std::ceil((yhi - c.y_min) / step - 1e-9) * step;
    }
    const Frame f{ox + kLeft, oy + kTop, double(c.width - kLeft - kRight), double(c.height - kTop - kBottom), xlo, xhi, c.y_min, yhi, c.log_x};
    axes(out, c, f);
    std::vector<double> base(n, 0.0);
    // Lines after the first are dashed, so one drawn on top of another still shows both.
    static const char* const kDashes[] = {"", " stroke-dasharray=\"8 4\"", " stroke-dasharray=\"3 3\"", " stroke-dasharray=\"12 3 3 3\""};
    size_t index = 0;
    for (const auto& s : c.series) {
        const char* dash = kDashes[index++ % 4];
        if (c.stacked) {
            // The band between the running total and the total plus this series.
            std::string pts;
            std::vector<double> top(n);
            for (size_t i = 0; i < n; ++i) {
                top[i] = base[i] + (i < s.y.size() && std::isfinite(s.y[i]) ? s.y[i] : 0);
                pts += fmt::format("{:.1f},{:.1f} ", f.px(c.x[i]), f.py(top[i]));
            }
            for (size_t i = n; i-- > 0;) pts += fmt::format("{:.1f},{:.1f} ", f.px(c.x[i]), f.py(base[i]));
            out += fmt::format("<polygon points=\"{}\" fill=\"{}\" stroke=\"none\"/>\n", pts, s.color);
            base = top;
            continue;
        }
        std::string pts;
        auto flush = [&] {
            if (!pts.empty())
                out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>\n", pts, s.color, dash);
            pts.clear();
        };
        for (size_t i = 0; i < n; ++i) {
            if (i >= s.y.size() || !std::isfinite(s.y[i])) {
                if (!c.connect_gaps) flush();
                continue;
            }
            pts += fmt::format("{:.1f},{:.1f} ", f.px(c.x[i]), f.py(s.y[i]));
            if (i < s.lo.size() && i < s.hi.size() && std::isfinite(s.lo[i]) && std::isfinite(s.hi[i])) {
                const double x = f.px(c.x[i]), y0 = f.py(s.lo[i]), y1 = f.py(s.hi[i]);
                out += fmt::format("<path d=\"M{0:.1f},{1:.1f}V{2:.1f}M{3:.1f},{1:.1f}h6M{3:.1f},{2:.1f}h6\" stroke=\"{4}\" "
                                   "stroke-width=\"1\" fill=\"none\"/>\n",
                                   x, y0, y1, x - 3, s.color);
            }
            out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" fill=\"{}\"/>\n", f.px(c.x[i]), f.py(s.y[i]), s.color);
        }
        flush();
    }
    legend(out, c, f);
}

std::string document(int w, int h, const std::string& body)
{
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
                       "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\">\n"
                       "<rect width=\"100%\" height=\"100%\" fill=\"#f8f8f8\"/>\n{}</svg>\n",
                       w, h, w, h, body);
}

} // namespace

const char* palette_color(size_t i)
{
    static const char* const kColors[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                          "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    return kColors[i % 10];
}

std::string render_svg(const Chart& chart) { return render_svg_grid({chart}, 1); }

std::string render_svg_grid(const std::vector<Chart>& charts, int columns)
{
    columns = std::max(1, columns);
    std::string body;
    int w = 0, h = 0;
    for (size_t i = 0; i < charts.size(); ++i) {
        const int col = static_cast<int>(i) % columns, row = static_cast<int>(i) / columns;
        // Cells take the size of the first chart; charts in one grid share it.
        const int cw = charts[0].width, ch = charts[0].height;
        chart_body(body, charts[i], col * cw, row * ch);
        w = std::max(w, (col + 1) * cw);
        h = std::max(h, (row + 1) * ch);
    }
    return document(std::max(w, 1), std::max(h, 1), body);
}

} // namespace offsched::sim::trace
