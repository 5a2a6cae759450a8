// Writes an output file all-or-nothing: to a temporary beside it, then rename(2), so a failed or
// interrupted run never leaves a half-written result behind.
#pragma once

#include <string>

namespace offsched::tools {

// "-" writes to stdout. Returns false with *error set on failure.
bool write_file_atomically(const std::string& path, const std::string& content, std::string* error);

} // namespace offsched::tools
