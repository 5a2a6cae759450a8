#include "tools/lib/quantity.h"

#include <array>
#include <span>
#include <utility>

namespace offsched::tools {

namespace {
using Suffix = std::pair<std::string_view, uint64_t>;
constexpr std::array<Suffix, 4> kTimeSuffixes{{{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}}};
constexpr std::array<Suffix, 3> kSiSuffixes{{{"k", 1000}, {"M", 1000000}, {"G", 1000000000}}};

bool mul_overflows(uint64_t a, uint64_t b, uint64_t* out) { return __builtin_mul_overflow(a, b, out); }
} // namespace

std::optional<uint64_t> parse_quantity(std::string_view text, std::string_view unit, std::string* why)
{
    size_t i = 0;
    uint64_t whole = 0, frac = 0, frac_scale = 1;
    bool any_digit = false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        if (mul_overflows(whole, 10, &whole) || __builtin_add_overflow(whole, uint64_t(text[i] - '0'), &whole)) {
            *why = "number too large";
            return std::nullopt;
        }
        any_digit = true;
    }
    if (i < text.size() && text[i] == '.') {
        for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            if (frac_scale >= 1000000000000ull) { *why = "too many decimal places"; return std::nullopt; }
            frac = frac * 10 + uint64_t(text[i] - '0');
            frac_scale *= 10;
            any_digit = true;
        }
    }
    if (!any_digit) {
        *why = "expected a non-negative number";
        return std::nullopt;
    }
    const std::string_view suffix = text.substr(i);
    uint64_t mult = 1;
    if (!suffix.empty()) {
        bool found = false;
        const bool is_time = unit == "ns";
        for (const Suffix& s : is_time ? std::span<const Suffix>(kTimeSuffixes) : std::span<const Suffix>(kSiSuffixes))
            if (s.first == suffix) { mult = s.second; found = true; }
        if (!found) {
            *why = is_time ? "unknown time suffix '" + std::string(suffix) + "' (use ns, us, ms or s)"
                           : "unknown suffix '" + std::string(suffix) + "' (use k, M or G)";
            return std::nullopt;
        }
    }
    uint64_t value = 0, frac_part = 0;
    if (mul_overflows(whole, mult, &value) || mul_overflows(frac, mult, &frac_part)) {
        *why = "number too large";
        return std::nullopt;
    }
    if (frac_part % frac_scale != 0) {
        *why = "'" + std::string(text) + "' is not a whole number of " + (unit.empty() ? "units" : std::string(unit));
        return std::nullopt;
    }
    if (__builtin_add_overflow(value, frac_part / frac_scale, &value)) {
        *why = "number too large";
        return std::nullopt;
    }
    return value;
}

} // namespace offsched::tools
