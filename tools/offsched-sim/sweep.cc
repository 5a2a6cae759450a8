#include "tools/offsched-sim/sweep.h"

#include <cmath>

#include <fmt/format.h>

#include "tools/lib/input_error.h"
#include "tools/lib/quantity.h"

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

SweepSpec parse_sweep(const std::string& text)
{
    const size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        throw InputError(kCommandLine, "--sweep", "expected section.field=from:to:steps[:log], got '" + text + "'");
    SweepSpec spec;
    spec.key = text.substr(0, eq);
    const auto parts = split(text.substr(eq + 1), ':');
    if (parts.size() < 3 || parts.size() > 4 || (parts.size() == 4 && parts[3] != "log"))
        throw InputError(kCommandLine, "--sweep", "expected section.field=from:to:steps[:log], got '" + text + "'");
    const uint64_t from = number(parts[0], "from"), to = number(parts[1], "to"), steps = number(parts[2], "steps");
    if (steps < 2 || steps > 1000) throw InputError(kCommandLine, "--sweep", "steps must be 2 to 1000");
    if (to <= from) throw InputError(kCommandLine, "--sweep", "'to' must be larger than 'from'");
    const bool log = parts.size() == 4;
    if (log && from == 0) throw InputError(kCommandLine, "--sweep", "a log sweep cannot start at 0");
    for (uint64_t i = 0; i < steps; ++i) {
        const uint64_t v = log ? geometric_point(from, to, i, steps)
                               : from + static_cast<uint64_t>(static_cast<unsigned __int128>(to - from) * i / (steps - 1));
        spec.values.push_back(fmt::format("{}", v));
    }
    return spec;
}

std::string sweep_csv(const SweepSpec& spec, const std::vector<SweepPoint>& points)
{
    std::string out;
    bool header = false;
    for (const SweepPoint& p : points)
        for (const sim::DesignResult& r : p.results) {
            const nlohmann::ordered_json j = sim::to_json(r);
            if (!header) {
                out += spec.key + ",design";
                for (const auto& [k, v] : j.items())
                    if (v.is_number_integer()) out += "," + k;
                out += "\n";
                header = true;
            }
            out += p.value + "," + r.design;
            for (const auto& [k, v] : j.items())
                if (v.is_number_integer()) out += fmt::format(",{}", v.get<uint64_t>());
            out += "\n";
        }
    return out;
}

} // namespace offsched::tools
