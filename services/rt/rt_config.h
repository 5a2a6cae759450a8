// Real-time executive configuration: a table of periodic jobs and the scheduling policy.
#pragma once

#include "model/schema.h"
#include "services/common/fields.h"
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

inline constexpr FieldDesc kJobFields[] = {
    fields::u64_("period_ns", OFFSCHED_FIELD(Job, period_ns), 1000, 10000000000ull, "ns", "release period", "required"),
    fields::u64_("budget_ns", OFFSCHED_FIELD(Job, budget_ns), 1, 10000000000ull, "ns",
                 "execution time reserved per release", "required"),
    fields::u64_("deadline_ns", OFFSCHED_FIELD(Job, deadline_ns), 0, 10000000000ull, "ns",
                 "relative deadline (budget <= deadline <= period); 0 = period", "0: implicit deadline"),
    fields::u64_("offset_ns", OFFSCHED_FIELD(Job, offset_ns), 0, 10000000000ull, "ns", "delay of the first release", "0"),
};

inline constexpr FieldDesc kConfigFields[] = {
    fields::array_("jobs", OFFSCHED_FIELD(Config, jobs), OFFSCHED_FIELD(Config, job_count), sizeof(Job), 1, kMaxJobs,
                   kJobFields, "periodic jobs (index = job id in stats)", "one 1 ms job with a 100 us budget"),
    fields::enum_("policy", OFFSCHED_FIELD(Config, policy), kPolicyNames,
                  "edf: earliest absolute deadline first; rm: shortest period first (fixed priority)",
                  "edf: optimal on one core for U <= 1 (Liu & Layland 1973)"),
};

inline constexpr Schema kConfigSchema = fields::schema(kConfigFields);

void set_defaults(Config& c);
bool check(const Config& c, ConfigError& err);
// Sum of ceil(budget * 1e6 / period) over the jobs, in parts per million.
u64 utilisation_ppm(const Config& c);

} // namespace offsched::rt
