// Real-time executive driven by a fake 1 GHz clock (1 cycle = 1 ns) stepped every 10 ns:
// EDF vs RM on a textbook job set, preemption, abandoned releases (RM), callback-mode overruns,
// and validate() naming the job.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "config_helpers.h"
#include "fakes.h"
#include "services/rt/rt.h"

using namespace offsched;
using namespace offsched::test;
using rt::Job;

namespace {
Rt::Config jobs2(Job a, Job b, u32 policy)
{
    Rt::Config c;
    Rt::defaults(c);
    c.job_count = 2;
    c.jobs[0] = a;
    c.jobs[1] = b;
    c.policy = policy;
    return c;
}

std::unique_ptr<Rt> make_rt(FakeEnv& e, const Rt::Config& c)
{
    ConfigError err;
    INFO((err.field ? err.field : ""));
    REQUIRE(Rt::validate(c, err));
    return std::make_unique<Rt>(e.env, c);
}

void run_for(FakeEnv& e, Rt& rt, u64 ns, u64 tick = 10)
{
    const u64 end = e.clock.now + ns;
    while (e.clock.now < end) {
        rt.step(1);
        e.clock.now += tick;
    }
}

} // namespace

TEST_CASE("single job: spin model completes each release within its budget")
{
    FakeEnv e(0, 1, 1000000);
    auto c = jobs2(Job{1000, 300, 0, 0}, Job{1000, 1, 0, 0}, rt::kEdf);
    c.job_count = 1;
    auto r = make_rt(e, c);
    run_for(e, *r, 10000 - 10);
    CHECK(stat(*r, "releases") == 10);
    CHECK(stat(*r, "completions") == 10);
    CHECK(stat(*r, "deadline_misses") == 0);
    CHECK(stat(*r, "max_response_ns") == 300);
    CHECK(stat(*r, "utilisation_ppm") == 300000);
}

TEST_CASE("EDF meets a job set rate monotonic cannot (U = 0.971)")
{
    // J0: T=5 us C=2 us, J1: T=7 us C=4 us. Under RM J1 misses its first deadline at 7 us;
    // under EDF every deadline in the hyperperiod (35 us) is met.
    const Job j0{5000, 2000, 0, 0}, j1{7000, 4000, 0, 0};
    FakeEnv e1(0, 1, 1000000), e2(0, 1, 1000000);
    auto edf = make_rt(e1, jobs2(j0, j1, rt::kEdf));
    auto rm = make_rt(e2, jobs2(j0, j1, rt::kRateMonotonic));
    run_for(e1, *edf, 35000);
    run_for(e2, *rm, 35000);
    CHECK(stat(*edf, "deadline_misses") == 0);
    CHECK(stat(*edf, "job0_completions") == 7);
    CHECK(stat(*edf, "job1_completions") == 5);
    CHECK(stat(*rm, "job1_misses") >= 1);
    // At 7 us J1 still has 1 us left when it is released again: that release is abandoned.
    CHECK(stat(*rm, "job1_overruns") >= 1);
    CHECK(stat(*rm, "job1_completions") + stat(*rm, "job1_overruns") + 1 >= stat(*rm, "job1_releases"));
    CHECK(stat(*rm, "job0_misses") == 0);
    CHECK(stat(*rm, "preemptions") >= 1);
}

namespace {
class ClockEatingWork final : public RtWork {
public:
    explicit ClockEatingWork(FakeClock& c) : clock(c) {}
    void run(u32 job, u64 budget) override
    {
        ++runs;
        clock.now += job == 1 ? budget * 3 : budget / 2; // job 1 overruns threefold
    }
    FakeClock& clock;
    u32 runs = 0;
};
} // namespace

TEST_CASE("callback mode: the backend's work runs to completion, overruns measured")
{
    FakeEnv e(0, 1, 1000000);
    auto r = make_rt(e, jobs2(Job{10000, 1000, 0, 0}, Job{10000, 2000, 2500, 0}, rt::kEdf));
    ClockEatingWork w(e.clock);
    r->set_work(&w);
    run_for(e, *r, 10000 - 10);
    CHECK(w.runs == 2);
    CHECK(stat(*r, "job0_overruns") == 0);
    CHECK(stat(*r, "job1_overruns") == 1);
    CHECK(stat(*r, "job1_misses") == 1); // EDF runs it first (deadline 2.5 us): ends at 6 us
    CHECK(stat(*r, "max_lateness_ns") == 6000 - 2500);
}

TEST_CASE("rt validate names the offending job")
{
    u32 idx = 99;
    auto c = jobs2(Job{1000, 600, 0, 0}, Job{1000, 500, 0, 0}, rt::kEdf);
    CHECK(rejected_field<Rt>(c, &idx) == "jobs[].budget_ns"); // 60% + 50%
    CHECK(idx == 1);
    c = jobs2(Job{1000, 500, 400, 0}, Job{1000, 100, 0, 0}, rt::kEdf);
    CHECK(rejected_field<Rt>(c, &idx) == "jobs[].deadline_ns");
    CHECK(idx == 0);
    c = jobs2(Job{1000, 100, 0, 0}, Job{1000, 100, 2000, 0}, rt::kEdf);
    CHECK(rejected_field<Rt>(c, &idx) == "jobs[].deadline_ns");
    CHECK(idx == 1);
    c = jobs2(Job{1000, 100, 0, 0}, Job{999, 10, 0, 0}, rt::kEdf);
    CHECK(rejected_field<Rt>(c, &idx) == "jobs[].period_ns");
    c = jobs2(Job{1000, 0, 0, 0}, Job{1000, 10, 0, 0}, rt::kEdf);
    CHECK(rejected_field<Rt>(c, &idx) == "jobs[].budget_ns");
    CHECK(idx == 0);
    c.job_count = 0;
    CHECK(rejected_field<Rt>(c, &idx) == "jobs");
    c = jobs2(Job{4000, 1000, 0, 0}, Job{4000, 3000, 0, 0}, rt::kEdf);
    CHECK(rejected_field<Rt>(c, &idx) == "accepted"); // exactly 100%
    c = jobs2(Job{3000, 1000, 0, 0}, Job{3000, 2000, 0, 0}, rt::kEdf);
    CHECK(rejected_field<Rt>(c, &idx) == "jobs[].budget_ns"); // 100% too, but ppm rounded up: conservative
    c = jobs2(Job{4000, 1000, 0, 0}, Job{4000, 3000, 0, 0}, rt::kEdf);
    c.policy = 5;
    CHECK(rejected_field<Rt>(c, &idx) == "policy");
}
