#include "tools/lib/human_units.h"

#include <fmt/format.h>

namespace offsched::tools {

namespace {
// value/scale with two decimals, rounded half up, integers only.
std::string scaled(uint64_t value, uint64_t scale, int decimals)
{
    uint64_t pow = 1;
    for (int i = 0; i < decimals; ++i) pow *= 10;
    const unsigned __int128 fixed = (static_cast<unsigned __int128>(value) * pow + scale / 2) / scale;
    const uint64_t whole = static_cast<uint64_t>(fixed / pow), frac = static_cast<uint64_t>(fixed % pow);
    if (decimals == 0) return fmt::format("{}", whole);
    return fmt::format("{}.{:0{}}", whole, frac, decimals);
}

std::string with_prefix(uint64_t v, const char* unit)
{
    if (v >= 1000000000) return scaled(v, 1000000000, 2) + " G" + unit;
    if (v >= 1000000) return scaled(v, 1000000, 2) + " M" + unit;
    if (v >= 10000) return scaled(v, 1000, 1) + " k" + unit;
    return fmt::format("{} {}", v, unit);
}
} // namespace

std::string format_ns(uint64_t ns)
{
    if (ns < 1000) return fmt::format("{} ns", ns);
    if (ns < 1000000) return scaled(ns, 1000, ns < 100000 ? 1 : 0) + " us";
    if (ns < 1000000000) return scaled(ns, 1000000, 2) + " ms";
    return scaled(ns, 1000000000, 2) + " s";
}

std::string format_ppm_percent(uint64_t ppm) { return scaled(ppm, 10000, 2) + " %"; }

std::string format_rate(uint64_t per_second, const char* unit) { return with_prefix(per_second, unit); }

std::string format_bits(uint64_t bps) { return with_prefix(bps, "bit/s"); }

std::string format_count(uint64_t n)
{
    std::string digits = fmt::format("{}", n), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

} // namespace offsched::tools
