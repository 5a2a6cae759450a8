// The one check every integer on every command line goes through (offsched-sim, offschedctl,
// offsched-rtop, offsched-traffic): digits only, so "-1" is refused instead of wrapping to
// 18446744073709551615; within [min, max] of the option (by default, of its type), so a value
// beyond 2^64 or beyond the type is refused instead of saturating or wrapping. CLI11 runs it on
// the text before converting.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include <CLI/CLI.hpp>

namespace offsched::tools {

// "" when text is a whole number in [min, max], else why not.
std::string check_whole_number(const std::string& text, uint64_t min, uint64_t max);

template <typename T>
CLI::Validator whole_number(uint64_t min = 0, uint64_t max = std::numeric_limits<T>::max())
{
    static_assert(std::is_unsigned_v<T>, "command-line counts are unsigned");
    return CLI::Validator([min, max](std::string& text) { return check_whole_number(text, min, max); },
                          "UINT[" + std::to_string(min) + ".." + std::to_string(max) + "]");
}

} // namespace offsched::tools
