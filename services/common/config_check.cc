#include "services/common/config_check.h"

namespace offsched {

bool check_schema_ranges(const Schema& s, const void* config, ConfigError& err)
{
    u32 index = 0;
    const FieldDesc* bad = schema_check_ranges(s, config, &index);
    if (!bad) return true;
    return config_fail(err, bad->name, "out of range (see the field's documented range)", index);
}

} // namespace offsched
