// An error in user input (scenario file, service config, --set) that names where it is:
// file, line and column (1-based), the field as a dotted path, and what was expected.
#pragma once

#include <stdexcept>
#include <string>

namespace offsched::tools {

struct InputLocation {
    std::string file; // path, or "<command line>" for --set
    int line = 0;     // 1-based; 0 when unknown
    int column = 0;   // 1-based; 0 when unknown
};

class InputError : public std::runtime_error {
public:
    InputError(InputLocation where, std::string field, std::string message);

    const InputLocation& where() const { return where_; }
    const std::string& field() const { return field_; }
    const std::string& message() const { return message_; }

private:
    InputLocation where_;
    std::string field_;
    std::string message_;
};

} // namespace offsched::tools
