// Real-time executive configuration: a table of periodic jobs and the scheduling policy.
#pragma once

#include "model/schema.h"
#include "model/service.h"

namespace offsched::rt {

constexpr u32 kMaxJobs = 16;
enum Policy : u32 { kEdf = 0, kRateMonotonic };

struct Job {
    u64 period_ns;
    u64 budget_ns;   // worst-case execution time reserved per period
    u64 deadline_ns; // relative to the release; 0 means "= period"
    u64 offset_ns;   // first release after the service starts
};

struct Config {
    u32 job_count;
    Job jobs[kMaxJobs];
    u32 policy; // Policy
};

inline constexpr const char* kPolicyNames[] = {"edf", "rm", nullptr};

#define OFFSCHED_RT_FIELD(S, f) static_cast<u32>(__builtin_offsetof(S, f))
inline constexpr FieldDesc kJobFields[] = {
    {"period_ns", FieldType::U64, OFFSCHED_RT_FIELD(Job, period_ns), 1000, 10000000000ull, "ns",
     "release period", "required", nullptr, nullptr, 0, 0, 0},
    {"budget_ns", FieldType::U64, OFFSCHED_RT_FIELD(Job, budget_ns), 1, 10000000000ull, "ns",
     "execution time reserved per release", "required", nullptr, nullptr, 0, 0, 0},
    {"deadline_ns", FieldType::U64, OFFSCHED_RT_FIELD(Job, deadline_ns), 0, 10000000000ull, "ns",
     "relative deadline (budget <= deadline <= period); 0 = period", "0: implicit deadline", nullptr, nullptr, 0, 0, 0},
    {"offset_ns", FieldType::U64, OFFSCHED_RT_FIELD(Job, offset_ns), 0, 10000000000ull, "ns",
     "delay of the first release", "0", nullptr, nullptr, 0, 0, 0},
};

inline constexpr FieldDesc kConfigFields[] = {
    {"jobs", FieldType::Array, OFFSCHED_RT_FIELD(Config, jobs), 1, kMaxJobs, "",
     "periodic jobs (index = job id in stats)", "one 1 ms job with a 100 us budget", nullptr, kJobFields,
     static_cast<u32>(array_size(kJobFields)), sizeof(Job), OFFSCHED_RT_FIELD(Config, job_count)},
    {"policy", FieldType::Enum, OFFSCHED_RT_FIELD(Config, policy), 0, 0, "",
     "edf: earliest absolute deadline first; rm: shortest period first (fixed priority)",
     "edf: optimal on one core for U <= 1 (Liu & Layland 1973)", kPolicyNames, nullptr, 0, 0, 0},
};
#undef OFFSCHED_RT_FIELD

inline constexpr Schema kConfigSchema{kConfigFields, static_cast<u32>(array_size(kConfigFields))};

void set_defaults(Config& c);
bool check(const Config& c, ConfigError& err);
// Sum of ceil(budget * 1e6 / period) over the jobs, in parts per million.
u64 utilisation_ppm(const Config& c);

} // namespace offsched::rt
