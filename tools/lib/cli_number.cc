#include "tools/lib/cli_number.h"

#include <fmt/format.h>

namespace offsched::tools {

std::string check_whole_number(const std::string& text, uint64_t min, uint64_t max)
{
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
        return fmt::format("expected a whole number from {} to {}, got '{}'", min, max, text);
    uint64_t v = 0;
    for (char c : text) {
        const uint64_t d = static_cast<uint64_t>(c - '0');
        if (v > (UINT64_MAX - d) / 10) return fmt::format("{} is beyond {}", text, max);
        v = v * 10 + d;
    }
    if (v < min || v > max) return fmt::format("{} is not in {}..{}", text, min, max);
    return "";
}

} // namespace offsched::tools
