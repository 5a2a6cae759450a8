// Real-time executive counters: totals, then four per job (jobN_releases, jobN_completions,
// jobN_misses, jobN_overruns).
#pragma once

#include "model/stats.h"
#include "services/rt/rt_config.h"

namespace offsched::rt {

enum Stat : u32 {
    kReleases,
    kCompletions,
    kMisses,
    kOverruns,
    kReleasesSkipped,
    kPreemptions,
    kMaxLatenessNs,
    kMaxResponseNs,
    kUtilisationPpm,
    kJobFirst,
};
enum JobStat : u32 { kJobReleases, kJobCompletions, kJobMisses, kJobOverruns, kJobStatCount };
constexpr u32 kStatCount = kJobFirst + kMaxJobs * kJobStatCount;
constexpr u32 job_stat(u32 job, JobStat s) { return kJobFirst + job * kJobStatCount + s; }

#define OFFSCHED_RT_JOB(n)                                                                        \
    {"job" #n "_releases", "releases of jobs[" #n "]"},                                          \
    {"job" #n "_completions", "releases of jobs[" #n "] that completed"},                        \
    {"job" #n "_misses", "releases of jobs[" #n "] that finished (or were abandoned) after their deadline"}, \
    {"job" #n "_overruns", "releases of jobs[" #n "] that ran past their budget or were still running at the next release"}

inline constexpr StatDesc kStatDescs[kStatCount] = {
    {"releases", "job releases, all jobs"},
    {"completions", "releases that completed"},
    {"deadline_misses", "releases that finished, or were abandoned, after their absolute deadline"},
    {"overruns", "releases that exceeded their budget or were still unfinished at the next release"},
    {"releases_skipped", "periods skipped entirely because the core saw them only after the next one"},
    {"preemptions", "times a running job was displaced by a more urgent one"},
    {"max_lateness_ns", "largest (completion - absolute deadline) seen, ns"},
    {"max_response_ns", "largest (completion - release) seen, ns"},
    {"utilisation_ppm", "configured utilisation, parts per million"},
    OFFSCHED_RT_JOB(0), OFFSCHED_RT_JOB(1), OFFSCHED_RT_JOB(2), OFFSCHED_RT_JOB(3),
    OFFSCHED_RT_JOB(4), OFFSCHED_RT_JOB(5), OFFSCHED_RT_JOB(6), OFFSCHED_RT_JOB(7),
    OFFSCHED_RT_JOB(8), OFFSCHED_RT_JOB(9), OFFSCHED_RT_JOB(10), OFFSCHED_RT_JOB(11),
    OFFSCHED_RT_JOB(12), OFFSCHED_RT_JOB(13), OFFSCHED_RT_JOB(14), OFFSCHED_RT_JOB(15),
};
#undef OFFSCHED_RT_JOB

} // namespace offsched::rt
