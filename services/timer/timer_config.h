// Timer service configuration and its schema.
#pragma once

#include "model/schema.h"
#include "model/service.h"

namespace offsched::timer {

struct Config {
    u32 timer_count;        // ids 0..timer_count-1 are valid
    u32 min_period_ns;      // shortest period accepted for periodic timers
    u32 late_threshold_ns;  // expiries later than this count as "late"
    u32 max_fires_per_step; // bounds one step's work next to the step budget
};

#define OFFSCHED_TIMER_FIELD(f) static_cast<u32>(__builtin_offsetof(Config, f))
inline constexpr FieldDesc kConfigFields[] = {
    {"timer_count", FieldType::U32, OFFSCHED_TIMER_FIELD(timer_count), 1, 256, "timers",
     "number of timer ids clients may use", "64: one per client thread of a typical RT host (assumption)",
     nullptr, nullptr, 0, 0, 0},
    {"min_period_ns", FieldType::U32, OFFSCHED_TIMER_FIELD(min_period_ns), 1000, 1000000000, "ns",
     "shortest period of a periodic timer (multiple of the 1 us resolution)", "1000: the service's 1 us resolution",
     nullptr, nullptr, 0, 0, 0},
    {"late_threshold_ns", FieldType::U32, OFFSCHED_TIMER_FIELD(late_threshold_ns), 1000, 1000000000, "ns",
     "an expiry fired later than this after its deadline is counted as late",
     "10000: cyclictest's usual alarm level for a tuned RT kernel", nullptr, nullptr, 0, 0, 0},
    {"max_fires_per_step", FieldType::U32, OFFSCHED_TIMER_FIELD(max_fires_per_step), 1, 256, "timers",
     "expiries handled per step at most (the rest fire next step)", "32", nullptr, nullptr, 0, 0, 0},
};
#undef OFFSCHED_TIMER_FIELD

inline constexpr Schema kConfigSchema{kConfigFields, static_cast<u32>(array_size(kConfigFields))};

void set_defaults(Config& c);
bool check(const Config& c, ConfigError& err);

} // namespace offsched::timer
