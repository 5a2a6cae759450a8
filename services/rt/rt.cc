#include "services/rt/rt.h"


namespace offsched {

using namespace rt;

Rt::Rt(const ServiceEnv& env, const Config& cfg) : env_(env), cfg_(cfg)
{
    conv_.init(env.clock->khz());
    const u64 start = env.clock->cycles();
    last_ = start;
    for (u32 i = 0; i < cfg.job_count; ++i) {
        const Job& j = cfg.jobs[i];
        JobState& s = jobs_[i];
        s = JobState{};
        s.period = conv_.from_ns(j.period_ns);
        s.budget = conv_.from_ns(j.budget_ns);
        s.deadline = conv_.from_ns(j.deadline_ns ? j.deadline_ns : j.period_ns);
        if (s.period == 0) s.period = 1; // clocks below 1 GHz round short periods down
        s.next_release = start + conv_.from_ns(j.offset_ns);
    }
    stats_[kUtilisationPpm].set(utilisation_ppm(cfg));
}

void Rt::count_job(u32 stat, u32 job, JobStat js)
{
    stats_[stat].add();
    stats_[job_stat(job, js)].add();
}

void Rt::record_max(u32 stat, u64 ns)
{
    if (ns > stats_[stat].read()) stats_[stat].set(ns);
}

void Rt::complete(u32 j, u64 at)
{
    JobState& s = jobs_[j];
    s.active = false;
    count_job(kCompletions, j, kJobCompletions);
    record_max(kMaxResponseNs, conv_.to_ns(at - s.release));
    if (at > s.abs_deadline) {
        record_max(kMaxLatenessNs, conv_.to_ns(at - s.abs_deadline));
        if (!s.miss_counted) count_job(kMisses, j, kJobMisses);
        s.miss_counted = true;
    }
}

// Spin model: the running job consumed the cycles since the last step.
void Rt::account(u64 now)
{
    if (running_ >= 0) {
        JobState& s = jobs_[running_];
        const u64 elapsed = now - last_;
        if (s.active && elapsed >= s.remaining) {
            const u64 done_at = last_ + s.remaining;
            s.remaining = 0;
            complete(static_cast<u32>(running_), done_at);
            running_ = -1;
        } else if (s.active) {
            s.remaining -= elapsed;
        }
    }
    last_ = now;
}

void Rt::release_due(u64 now)
{
    for (u32 j = 0; j < cfg_.job_count; ++j) {
        JobState& s = jobs_[j];
        if (s.next_release > now) continue;
        if (s.active) { // previous release unfinished: abandoned (deadline <= period, so also late)
            count_job(kOverruns, j, kJobOverruns);
            if (!s.miss_counted) count_job(kMisses, j, kJobMisses);
            if (running_ == static_cast<i32>(j)) running_ = -1;
        }
        // One release per job per step: the latest period boundary not after now.
        stats_[kReleasesSkipped].add(s.release_now(now));
        count_job(kReleases, j, kJobReleases);
    }
    for (u32 j = 0; j < cfg_.job_count; ++j) {
        JobState& s = jobs_[j];
        if (s.active && !s.miss_counted && now > s.abs_deadline) {
            s.miss_counted = true; // counted as soon as it is known, even if it completes later
            count_job(kMisses, j, kJobMisses);
        }
    }
}

i32 Rt::pick() const
{
    return pick_first(
        cfg_.job_count, [&](u32 j) { return jobs_[j].active; },
        [&](u32 j, u32 b) { return runs_before(cfg_.policy, jobs_[j].abs_deadline, jobs_[j].period, jobs_[b].abs_deadline, jobs_[b].period); });
}

StepResult Rt::step(u32)
{
    StepResult r;
    const u64 now = env_.clock->cycles();
    account(now);
    release_due(now);
    const i32 next = pick();
    if (next < 0) return r;
    if (running_ >= 0 && running_ != next && jobs_[running_].active) stats_[kPreemptions].add();
    running_ = next;
    r.work_units = 1;
    if (!work_) return r; // spin model: progress is accounted at the next step
    JobState& s = jobs_[next];
    work_->run(static_cast<u32>(next), s.budget);
    const u64 end = env_.clock->cycles();
    if (end - now > s.budget) count_job(kOverruns, static_cast<u32>(next), kJobOverruns);
    complete(static_cast<u32>(next), end);
    running_ = -1;
    last_ = end;
    return r;
}

} // namespace offsched
