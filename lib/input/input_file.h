// The one way the tools read an input file (a scenario, a service config, a raw config, a
// prefix list): checked before a byte is parsed, so every kind of bad file is an InputError that
// names the file (and, for text, the line and column of the bad byte), never an exception from
// deep inside a stream or a parser.
//   - it exists and is readable (errno's sentence otherwise);
//   - it is a regular file (a directory, a device, a FIFO, a socket is refused as such);
//   - it is at most max_bytes long (a bound, so a wrong path to a huge file fails at once);
//   - text: no NUL byte, valid UTF-8 (YAML is UTF-8; JSON output must be, too).
#pragma once

#include <cstddef>
#include <string>

#include "lib/input/input_error.h"

namespace offsched::tools {

enum class InputKind { Text, Binary };

constexpr size_t kMaxInputBytes = 16u << 20; // 16 MiB: far above any config or scenario

std::string read_input_file(const std::string& path, InputKind kind = InputKind::Text,
                            size_t max_bytes = kMaxInputBytes);

// The location (1-based line and column) of the first byte of text that is not valid UTF-8 or
// is NUL, or line 0 when there is none. Exposed for tests and for text from other sources.
InputLocation first_bad_text_byte(const std::string& text, const std::string& file, std::string* why);

// The text checks of read_input_file for text from elsewhere (a fuzzer, a test): InputError at
// the first NUL or invalid UTF-8 byte, `name` standing for the file.
void check_input_text(const std::string& text, const std::string& name);

} // namespace offsched::tools
