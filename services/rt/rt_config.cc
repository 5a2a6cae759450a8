#include "services/rt/rt_config.h"

#include "services/common/config_check.h"

namespace offsched::rt {

void set_defaults(Config& c)
{
    __builtin_memset(&c, 0, sizeof c);
    c.job_count = 1;
    c.jobs[0] = Job{1000000, 100000, 0, 0};
    c.policy = kEdf;
}

namespace {
u64 job_ppm(const Job& j) { return (j.budget_ns * 1000000ull + j.period_ns - 1) / j.period_ns; }
} // namespace

u64 utilisation_ppm(const Config& c)
{
    u64 sum = 0;
    for (u32 i = 0; i < c.job_count && i < kMaxJobs; ++i)
        if (c.jobs[i].period_ns) sum += job_ppm(c.jobs[i]);
    return sum;
}

bool check(const Config& c, ConfigError& err)
{
    err = ConfigError{};
    if (c.job_count < 1 || c.job_count > kMaxJobs) return config_fail(err, "jobs", "needs 1 to 16 jobs");
    u64 sum = 0;
    for (u32 i = 0; i < c.job_count; ++i) {
        const Job& j = c.jobs[i];
        if (j.period_ns < 1000 || j.period_ns > 10000000000ull)
            return config_fail(err, "jobs[].period_ns", "must be between 1 us and 10 s", i);
        if (j.budget_ns == 0) return config_fail(err, "jobs[].budget_ns", "must be at least 1 ns", i);
        const u64 deadline = j.deadline_ns ? j.deadline_ns : j.period_ns;
        if (deadline < j.budget_ns) return config_fail(err, "jobs[].deadline_ns", "shorter than the budget", i);
        if (deadline > j.period_ns) return config_fail(err, "jobs[].deadline_ns", "longer than the period", i);
        sum += job_ppm(j);
        if (sum > 1000000)
            return config_fail(err, "jobs[].budget_ns", "total utilisation exceeds 100% at this job", i);
    }
    return check_schema_ranges(kConfigSchema, &c, err);
}

} // namespace offsched::rt
