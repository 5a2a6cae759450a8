#include "lib/input/input_error.h"

#include <fmt/format.h>

namespace offsched::tools {

namespace {
std::string format_error(const InputLocation& w, const std::string& field, const std::string& msg)
{
    std::string where = w.file;
    if (w.line > 0) where += fmt::format(":{}", w.line);
    if (w.column > 0) where += fmt::format(":{}", w.column);
    if (field.empty()) return fmt::format("{}: {}", where, msg);
    return fmt::format("{}: field '{}': {}", where, field, msg);
}
} // namespace

InputError::InputError(InputLocation where, std::string field, std::string message)
    : std::runtime_error(format_error(where, field, message)), where_(std::move(where)),
      field_(std::move(field)), message_(std::move(message))
{
}

} // namespace offsched::tools
