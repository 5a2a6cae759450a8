// Integer-only formatting of times, rates and ratios for tables, so output is byte-identical
// across builds (no floating point rounding differences).
#pragma once

#include <cstdint>
#include <string>

namespace offsched::tools {

std::string format_ns(uint64_t ns);          // "850 ns", "12.3 us", "1.25 ms", "3.00 s"
std::string format_ppm_percent(uint64_t ppm); // "99.75 %"
std::string format_rate(uint64_t per_second, const char* unit); // "14.88 Mpps", "950 kpps"
std::string format_bits(uint64_t bps);        // "9.41 Gbit/s"
std::string format_count(uint64_t n);         // "1,234,567"

} // namespace offsched::tools
