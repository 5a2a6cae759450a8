#include "tools/offsched-sim/sweep.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "lib/input/input_error.h"
#include "tools/lib/human_units.h"
#include "tools/lib/quantity.h"
#include "tools/lib/scenario_loader.h"

namespace offsched::tools {

namespace {

const InputLocation kCommandLine{"<command line>", 0, 0};

std::vector<std::string> split(const std::string& s, char sep)
{
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i)
        if (i == s.size() || s[i] == sep) {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    return out;
}

uint64_t number(const std::string& text, const std::string& what)
{
    std::string why;
    // Times and counts both parse: the parameter's own check runs later when the value is set.
    auto v = parse_quantity(text, "ns", &why);
    if (!v) v = parse_quantity(text, "", &why);
    if (!v) throw InputError(kCommandLine, "--sweep", what + ": " + why);
    return *v;
}

// from * (to/from)^(i/(n-1)), rounded once to an integer; the ends are exact. The values are
// computed once, printed, and parsed back as text, so the runs themselves see only integers.
uint64_t geometric_point(uint64_t from, uint64_t to, uint64_t i, uint64_t n)
{
    if (i == 0) return from;
    if (i + 1 == n) return to;
    const double ratio = static_cast<double>(to) / static_cast<double>(from);
    return static_cast<uint64_t>(std::llround(static_cast<double>(from) * std::pow(ratio, double(i) / double(n - 1))));
}

} // namespace

SweepAxis parse_sweep_axis(const std::string& text)
{
    const size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        throw InputError(kCommandLine, "--sweep", "expected section.field=from:to:steps[:log], got '" + text + "'");
    SweepAxis axis;
    axis.key = text.substr(0, eq);
    const auto parts = split(text.substr(eq + 1), ':');
    if (parts.size() < 3 || parts.size() > 4 || (parts.size() == 4 && parts[3] != "log"))
        throw InputError(kCommandLine, "--sweep", "expected section.field=from:to:steps[:log], got '" + text + "'");
    const uint64_t from = number(parts[0], "from"), to = number(parts[1], "to"), steps = number(parts[2], "steps");
    if (steps < 2 || steps > 1000) throw InputError(kCommandLine, "--sweep", "steps must be 2 to 1000");
    if (to <= from) throw InputError(kCommandLine, "--sweep", "'to' must be larger than 'from'");
    axis.log = parts.size() == 4;
    if (axis.log && from == 0) throw InputError(kCommandLine, "--sweep", "a log sweep cannot start at 0");
    for (uint64_t i = 0; i < steps; ++i) {
        const uint64_t v = axis.log ? geometric_point(from, to, i, steps)
                                    : from + static_cast<uint64_t>(static_cast<unsigned __int128>(to - from) * i / (steps - 1));
        const std::string text_v = fmt::format("{}", v);
        // Rounding can make two geometric points equal (10:12:5:log): one run each is enough.
        if (axis.values.empty() || axis.values.back() != text_v) axis.values.push_back(text_v);
    }
    return axis;
}

SweepGrid parse_sweep_grid(const std::vector<std::string>& axes, uint64_t base_seed, uint64_t seeds)
{
    SweepGrid grid;
    grid.base_seed = base_seed;
    grid.seeds = seeds;
    if (seeds < 1 || seeds > 1000) throw InputError(kCommandLine, "--seeds", "expected 1 to 1000 repetitions");
    if (seeds - 1 > UINT64_MAX - base_seed)
        throw InputError(kCommandLine, "--seeds", fmt::format("seeds {} to {} + {} overflow 64 bits", base_seed, base_seed, seeds - 1));
    for (const std::string& text : axes) {
        SweepAxis a = parse_sweep_axis(text);
        for (const SweepAxis& other : grid.axes)
            if (other.key == a.key)
                throw InputError(kCommandLine, "--sweep", "'" + a.key + "' is swept twice; give each parameter one axis");
        grid.axes.push_back(std::move(a));
    }
    return grid;
}

size_t SweepGrid::coordinate_count() const
{
    size_t n = 1;
    for (const SweepAxis& a : axes) n *= a.values.size(); // at most 1000^axes; callers bound the total
    return n;
}

std::vector<std::string> SweepGrid::coordinates(size_t c) const
{
    std::vector<std::string> out(axes.size());
    for (size_t i = axes.size(); i-- > 0;) { // the last axis varies fastest
        out[i] = axes[i].values[c % axes[i].values.size()];
        c /= axes[i].values.size();
    }
    return out;
}

sim::Scenario point_scenario(const sim::Scenario& base, const SweepGrid& grid, const std::vector<std::string>& coords, uint64_t seed)
{
    sim::Scenario s = base;
    for (size_t i = 0; i < grid.axes.size(); ++i) apply_override(s, {grid.axes[i].key, coords[i]});
    s.seed = seed;
    check_overridden(s, "at " + coords_text(grid, coords));
    return s;
}

std::string axes_heading(const SweepGrid& grid)
{
    std::string h;
    for (const SweepAxis& a : grid.axes) h += (h.empty() ? "" : "/") + a.key.substr(a.key.find('.') + 1);
    return h;
}

std::string coords_label(const std::vector<std::string>& coords)
{
    std::string l;
    for (const std::string& v : coords) l += (l.empty() ? "" : "/") + format_count(std::stoull(v));
    return l;
}

size_t label_width(const SweepGrid& grid, const std::vector<SweepPoint>& points)
{
    size_t w = std::max<size_t>(16, axes_heading(grid).size() + 2);
    for (const SweepPoint& p : points) w = std::max(w, coords_label(p.coords).size() + 2);
    return w;
}

std::string coords_text(const SweepGrid& grid, const std::vector<std::string>& coords)
{
    std::string t;
    for (size_t i = 0; i < grid.axes.size(); ++i) t += fmt::format("{}{}={}", t.empty() ? "" : " ", grid.axes[i].key, coords[i]);
    return t;
}

std::string sweep_csv(const SweepGrid& grid, const std::vector<SweepPoint>& points)
{
    std::string out;
    bool header = false;
    for (const SweepPoint& p : points)
        for (const sim::DesignResult& r : p.results) {
            const nlohmann::ordered_json j = sim::to_json(r);
            if (!header) {
                for (const SweepAxis& a : grid.axes) out += a.key + ",";
                out += "seed,design";
                for (const auto& [k, v] : j.items())
                    if (v.is_number_integer()) out += "," + k;
                out += "\n";
                header = true;
            }
            for (const std::string& v : p.coords) out += v + ",";
            out += fmt::format("{},{}", p.seed, r.design);
            for (const auto& [k, v] : j.items())
                if (v.is_number_integer()) out += fmt::format(",{}", v.get<uint64_t>());
            out += "\n";
        }
    return out;
}

} // namespace offsched::tools
