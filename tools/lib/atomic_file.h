// Output files, all-or-nothing and never in place of something that is not an output.
//  - check_output_path (before the work): "-" (stdout) or a path whose directory exists and is
//    writable, which is not a directory, a device, a FIFO or a socket; a symbolic link is
//    followed (the output goes where it points; the link stays a link).
//  - write_file_atomically: the same checks, then a temporary beside the target (removed if a
//    signal ends the tool), fsync, rename(2): a failed or interrupted run never leaves a
//    half-written result, and never replaces /dev/full with a regular file.
#pragma once

#include <string>

namespace offsched::tools {

bool check_output_path(const std::string& path, std::string* error);

// "-" writes to stdout. Returns false with *error set on failure.
bool write_file_atomically(const std::string& path, const std::string& content, std::string* error);

// Where output to `path` really lands: the symlink's target (resolved, relative to the link's
// directory), else path itself.
std::string output_target(const std::string& path);

} // namespace offsched::tools
