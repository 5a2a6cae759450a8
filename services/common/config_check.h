// Turns a schema range violation into a ConfigError, so every service's validate() starts with
// the same checks the kernel module runs on the binary config it receives.
#pragma once

#include "model/schema.h"
#include "model/service.h"

namespace offsched {

// False (and err filled with the field's name and "out of range") on the first violation.
// Services check array elements themselves first, so they can name "rules[].field" precisely.
bool check_schema_ranges(const Schema& s, const void* config, ConfigError& err);

// Helper for validate(): records a failure and returns false.
inline bool config_fail(ConfigError& err, const char* field, const char* message, u32 index = 0)
{
    err.field = field;
    err.message = message;
    err.index = index;
    return false;
}

} // namespace offsched
