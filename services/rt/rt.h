// Real-time executive: periodic jobs (period, budget, deadline) scheduled by EDF or rate
// monotonic on a core with no interrupts. Each step: account the running job's progress,
// release due jobs, count deadline misses, pick the most urgent active job and run it (a backend
// RtWork callback, run to completion, or by default a simulated spin of its budget that
// continues across steps and can be preempted).
// StepResult.work_units = 1 when a job ran or is running during the step; packets = 0.
#pragma once

#include "model/service.h"
#include "services/common/service_base.h"
#include "services/rt/rt_config.h"
#include "services/rt/rt_order.h"
#include "services/rt/rt_stats.h"
#include "services/rt/rt_work.h"

namespace offsched {

class Rt final : public CountedService<rt::kStatCount, rt::kStatDescs>,
                     public ConfigSpec<rt::Config, rt::kConfigSchema, rt::set_defaults, rt::check,
                                       needs_no_nic<rt::Config>> {
public:
    // No channel: its jobs are in the config. In the sim it runs the design's rt jobs in the OS's place.
    static constexpr ChannelSpec kChannels = [] {
        ChannelSpec c;
        c.takes_over = Workload::RtJobs;
        return c;
    }();

    Rt(const ServiceEnv& env, const Config& cfg);

    // Optional: the backend's job bodies. Call before the first step.
    void set_work(RtWork* work) { work_ = work; }

    const char* name() const override { return "rt"; }
    StepResult step(u32 budget) override;

private:
    using JobState = rt::JobTimes<u64>; // times in cycles

    void account(u64 now);
    void release_due(u64 now);
    void complete(u32 j, u64 at);
    i32 pick() const;
    void count_job(u32 stat, u32 job, rt::JobStat js);
    void record_max(u32 stat, u64 ns);

    ServiceEnv env_;
    Config cfg_;
    CycleConverter conv_;
    RtWork* work_ = nullptr;
    i32 running_ = -1;
    u64 last_ = 0;
    JobState jobs_[rt::kMaxJobs];
};

} // namespace offsched
