// Exact parsing of the numbers people write in scenarios: "200ms", "1.5us", "14.88M", "10k",
// "2G". Decimal fractions are scaled with integer arithmetic, so "14.88M" is exactly 14880000 and
// results never depend on floating-point rounding (determinism across builds).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace offsched::tools {

// unit is the schema's unit of the field: for "ns" the suffixes ns/us/ms/s are accepted; for any
// other unit the SI multipliers k/M/G (x1000) are. Returns nullopt with *why set on failure.
std::optional<uint64_t> parse_quantity(std::string_view text, std::string_view unit, std::string* why);

} // namespace offsched::tools
