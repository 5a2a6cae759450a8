#include "services/timer/timer_config.h"

#include "services/common/config_check.h"

namespace offsched::timer {

void set_defaults(Config& c)
{
    c.timer_count = 64;
    c.min_period_ns = 1000;
    c.late_threshold_ns = 10000;
    c.max_fires_per_step = 32;
}

bool check(const Config& c, ConfigError& err)
{
    err = ConfigError{};
    if (!check_schema_ranges(kConfigSchema, &c, err)) return false;
    if (c.min_period_ns % 1000 != 0)
        return config_fail(err, "min_period_ns", "must be a multiple of the 1 us resolution (1000 ns)");
    return true;
}

} // namespace offsched::timer
