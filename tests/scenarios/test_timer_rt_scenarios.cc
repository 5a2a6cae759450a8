// The promises of scenarios/timer_jitter.yaml and scenarios/rt_deadlines.yaml, checked on the
// shipped files (shortened) with the real SystemC model. Expectations come from the cost
// parameters: the OS hrtimer path costs hrtimer_irq + wakeup + context switch when nothing else
// runs, the offsched timer errs by at most one poll (relax_ns) plus one busy step.
#include <catch2/catch.hpp>

#include "backends/sim/run/simulate.h"
#include "backends/sim/machine/timebase.h"
#include "tools/lib/scenario_loader.h"

using namespace offsched;

namespace {

const std::string kTimerJitter = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/timer_jitter.yaml";
const std::string kRtDeadlines = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/rt_deadlines.yaml";

std::vector<tools::ParamOverride> shortened(std::vector<tools::ParamOverride> sets)
{
    sets.insert(sets.begin(), {{"run.duration_ns", "200ms"}, {"run.warmup_ns", "20ms"}});
    return sets;
}
const std::vector<tools::ParamOverride> kNoLoad = {{"flood.rate_pps", "0"}, {"background.rate_pps", "0"}};

struct Run {
    sim::Scenario scenario;
    std::vector<sim::DesignResult> results; // [0] linux, [1] offsched
};

Run run(const std::string& file, const std::vector<tools::ParamOverride>& sets)
{
    Run r{tools::load_scenario(file, shortened(sets)), {}};
    std::string error;
    INFO(error);
    REQUIRE(sim::simulate(r.scenario, &r.results, &error));
    REQUIRE(r.results.size() == 2);
    REQUIRE(r.results[0].design == "linux");
    REQUIRE(r.results[1].design == "offsched");
    return r;
}

uint64_t cycles_ns(const sim::SimParams& p, uint64_t cycles) { return sim::Timebase{p.machine.freq_mhz}.cycles_to_ps(cycles) / 1000; }

// Nothing else on the core: the hrtimer hardirq (handler + one wakeup) then the switch to the task.
uint64_t os_base_ns(const sim::SimParams& p)
{
    const sim::Timebase tb{p.machine.freq_mhz};
    return (tb.cycles_to_ps(p.os_rt.hrtimer_irq_cycles + p.os_rt.wakeup_cycles) + tb.cycles_to_ps(p.os.context_switch_cycles)) / 1000;
}

// One idle poll, then at worst one busy step that fires every timer.
uint64_t offsched_bound_ns(const sim::SimParams& p)
{
    return p.offload.relax_ns + cycles_ns(p, p.offload.step_cycles + uint64_t{p.timers.count} * p.offload.work_unit_cycles);
}

} // namespace

TEST_CASE("timer_jitter.yaml: under interrupt load the OS hrtimer path is late, the offsched timer is not")
{
    const Run r = run(kTimerJitter, {});
    const sim::DesignResult &os = r.results[0], &off = r.results[1];
    const sim::SimParams& p = r.scenario.designs[1].params;
    INFO("linux p50/p99/max " << os.timer_err_p50_ns << "/" << os.timer_err_p99_ns << "/" << os.timer_err_max_ns
                              << " ns, offsched " << off.timer_err_p50_ns << "/" << off.timer_err_p99_ns << "/" << off.timer_err_max_ns);
    CHECK(os.timer_path == "os_hrtimer");
    CHECK(off.timer_path == "offsched_timer");
    // Every expiry after the warm-up is measured on both paths: count * window / period.
    const uint64_t expected = p.timers.count * (p.run.duration_ns - p.run.warmup_ns) / p.timers.period_ns;
    CHECK(os.timer_samples + p.timers.count >= expected);
    CHECK(off.timer_samples + p.timers.count >= expected);
    CHECK(off.timer_err_max_ns <= offsched_bound_ns(p));
    CHECK(os.timer_err_p50_ns >= os_base_ns(r.scenario.designs[0].params));
    CHECK(os.timer_err_p99_ns > 10 * off.timer_err_p99_ns);
    CHECK(os.timer_err_max_ns >= os.timer_err_p99_ns);
}

TEST_CASE("timer_jitter.yaml with the load off: the OS path costs its base, the offsched timer is unchanged")
{
    const Run r = run(kTimerJitter, kNoLoad);
    const sim::DesignResult &os = r.results[0], &off = r.results[1];
    const sim::SimParams& p = r.scenario.designs[0].params;
    INFO("linux p50/p99/max " << os.timer_err_p50_ns << "/" << os.timer_err_p99_ns << "/" << os.timer_err_max_ns << " ns");
    CHECK(os.timer_err_p50_ns == os_base_ns(p));
    CHECK(os.timer_err_p99_ns == os_base_ns(p));
    CHECK(os.timer_err_max_ns <= os_base_ns(p) + cycles_ns(p, p.os.tick_cycles)); // at worst behind one tick
    CHECK(off.timer_err_max_ns <= offsched_bound_ns(r.scenario.designs[1].params));
}

TEST_CASE("timer_jitter.yaml: the same seed gives byte-identical results")
{
    const Run a = run(kTimerJitter, {{"run.duration_ns", "60ms"}});
    const Run b = run(kTimerJitter, {{"run.duration_ns", "60ms"}});
    for (size_t i = 0; i < a.results.size(); ++i) CHECK(sim::to_json(a.results[i]).dump() == sim::to_json(b.results[i]).dump());
}

TEST_CASE("rt_deadlines.yaml: the offloaded executive misses nothing, SCHED_FIFO tasks miss under interrupt load")
{
    const Run r = run(kRtDeadlines, {});
    const sim::DesignResult &os = r.results[0], &off = r.results[1];
    INFO("linux " << os.rt_deadline_misses << "/" << os.rt_releases << ", offsched " << off.rt_deadline_misses << "/" << off.rt_releases);
    CHECK(os.rt_path == "os_sched_fifo");
    CHECK(off.rt_path == "offsched_rt");
    // Both paths release every job once per period from the start.
    const rt::Config& jobs = r.scenario.designs[0].params.rt_tasks;
    uint64_t releases = 0;
    for (uint32_t i = 0; i < jobs.job_count; ++i)
        releases += (r.scenario.designs[0].params.run.duration_ns - jobs.jobs[i].offset_ns + jobs.jobs[i].period_ns - 1) / jobs.jobs[i].period_ns;
    CHECK(os.rt_releases == releases);
    CHECK(off.rt_releases == releases);
    CHECK(off.rt_deadline_misses == 0);
    CHECK(off.rt_overruns == 0);
    CHECK(os.rt_deadline_misses > 0);
}

TEST_CASE("rt_deadlines.yaml with the load off: the SCHED_FIFO tasks meet every deadline too")
{
    const Run r = run(kRtDeadlines, kNoLoad);
    const sim::DesignResult &os = r.results[0], &off = r.results[1];
    CHECK(os.rt_releases > 0);
    CHECK(os.rt_deadline_misses == 0);
    CHECK(os.rt_overruns == 0);
    CHECK(off.rt_deadline_misses == 0);
    // The longest job at least runs its budget after its release's hrtimer path.
    uint64_t longest = 0;
    for (uint32_t i = 0; i < r.scenario.designs[0].params.rt_tasks.job_count; ++i)
        longest = std::max(longest, r.scenario.designs[0].params.rt_tasks.jobs[i].budget_ns);
    CHECK(os.rt_max_response_ns >= longest + os_base_ns(r.scenario.designs[0].params));
}
