// Timer service configuration and its schema.
#pragma once

#include "model/schema.h"
#include "services/common/fields.h"
#include "model/service.h"

namespace offsched::timer {

struct Config {
    u32 timer_count;        // ids 0..timer_count-1 are valid
    u32 min_period_ns;      // shortest period accepted for periodic timers
    u32 late_threshold_ns;  // expiries later than this count as "late"
    u32 max_fires_per_step; // bounds one step's work next to the step budget
};

inline constexpr FieldDesc kConfigFields[] = {
    fields::u32_("timer_count", OFFSCHED_FIELD(Config, timer_count), 1, 256, "timers",
                 "number of timer ids clients may use", "64: one per client thread of a typical RT host (assumption)"),
    fields::u32_("min_period_ns", OFFSCHED_FIELD(Config, min_period_ns), 1000, 1000000000, "ns",
                 "shortest period of a periodic timer (multiple of the 1 us resolution)",
                 "1000: the service's 1 us resolution"),
    fields::u32_("late_threshold_ns", OFFSCHED_FIELD(Config, late_threshold_ns), 1000, 1000000000, "ns",
                 "an expiry fired later than this after its deadline is counted as late",
                 "10000: cyclictest's usual alarm level for a tuned RT kernel"),
    fields::u32_("max_fires_per_step", OFFSCHED_FIELD(Config, max_fires_per_step), 1, 256, "timers",
                 "expiries handled per step at most (the rest fire next step)", "32"),
};

inline constexpr Schema kConfigSchema = fields::schema(kConfigFields);

void set_defaults(Config& c);
bool check(const Config& c, ConfigError& err);

} // namespace offsched::timer
