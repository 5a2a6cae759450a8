#include "tools/offsched-sim/sweep_run.h"

#include <cstdio>
#include <optional>

#include <fmt/format.h>

#include "backends/sim/run/simulate.h"
#include "tools/lib/atomic_file.h"
#include "lib/input/input_error.h"
#include "tools/lib/scenario_loader.h"
#include "tools/lib/signal_cleanup.h"
#include "tools/lib/version.h"
#include "tools/offsched-sim/exit_codes.h"
#include "tools/offsched-sim/progress.h"
#include "tools/offsched-sim/report_table.h"
#include "tools/offsched-sim/results_dir.h"
#include "tools/offsched-sim/sweep.h"

namespace offsched::tools {

namespace {

// Job j is design j % designs of point j / designs; point p is coordinate p / seeds with the
// seed base + p % seeds. Every rank computes the same numbering from the same command line.
struct Plan {
    const sim::Scenario& base;
    SweepGrid grid;
    size_t designs = 0;
    size_t points() const { return grid.point_count(); }
    size_t jobs() const { return points() * designs; }
    std::vector<std::string> coords(size_t job) const { return grid.coordinates(job / designs / grid.seeds); }
    uint64_t seed(size_t job) const { return grid.base_seed + (job / designs) % grid.seeds; }
    size_t design(size_t job) const { return job % designs; }
    std::string key(size_t job) const
    {
        std::vector<std::pair<std::string, std::string>> kv;
        const auto c = coords(job);
        for (size_t a = 0; a < grid.axes.size(); ++a) kv.emplace_back(grid.axes[a].key, c[a]);
        return ResultsDir::key(kv, seed(job), base.designs[design(job)].name);
    }
    std::string where(size_t job) const { return fmt::format("{} seed {}", coords_text(grid, coords(job)), seed(job)); }
};

// The simulations a grid asks for, or 0 beyond kSweepSimulationsMax (the product may overflow).
size_t simulations(const SweepGrid& grid, size_t designs)
{
    unsigned __int128 n = grid.seeds * static_cast<unsigned __int128>(designs);
    for (const SweepAxis& a : grid.axes) {
        n *= a.values.size();
        if (n > kSweepSimulationsMax) return 0;
    }
    return static_cast<size_t>(n);
}

std::string grid_shape(const SweepGrid& grid, size_t designs)
{
    std::string s;
    for (const SweepAxis& a : grid.axes) s += fmt::format("{} {} x ", a.values.size(), a.key);
    return s + fmt::format("{} seed(s) x {} design(s)", grid.seeds, designs);
}

// "; missing: flood.rate_pps=1000000 seed 2 (baseline), ... and 40 more": what a resumed run
// still has to do, so a crash (a dead MPI rank, a killed job) says where it stopped.
std::string missing_summary(const Plan& plan, const std::vector<size_t>& todo)
{
    if (todo.empty()) return "";
    std::string s = "; missing:";
    constexpr size_t kShown = 4;
    for (size_t i = 0; i < todo.size() && i < kShown; ++i)
        s += fmt::format("{} {} ({})", i ? "," : "", plan.where(todo[i]), plan.base.designs[plan.design(todo[i])].name);
    if (todo.size() > kShown) s += fmt::format(" and {} more", todo.size() - kShown);
    return s;
}

nlohmann::ordered_json manifest(const sim::Scenario& s)
{
    nlohmann::ordered_json m;
    m["tool"] = "offsched-sim";
    m["format_version"] = 1;
    m["version"] = version_line("offsched-sim");
    m["scenario"] = scenario_to_json(s);
    m["scenario"].erase("file"); // the same scenario reached by another path is the same run
    return m;
}

nlohmann::ordered_json sweep_json(const sim::Scenario& base, const SweepGrid& grid, const std::vector<SweepPoint>& points)
{
    nlohmann::ordered_json j;
    j["tool"] = "offsched-sim";
    j["format_version"] = 2; // 2: several axes and seeds; points carry coords and seed
    j["seed"] = base.seed;
    nlohmann::ordered_json axes = nlohmann::ordered_json::array();
    for (const SweepAxis& a : grid.axes) axes.push_back({{"key", a.key}, {"values", a.values}, {"log", a.log}});
    j["sweep"] = {{"axes", axes}, {"seeds", grid.seeds}};
    j["scenario"] = scenario_to_json(base);
    j["points"] = nlohmann::ordered_json::array();
    for (const SweepPoint& p : points) {
        nlohmann::ordered_json pj;
        pj["coords"] = nlohmann::ordered_json::object();
        for (size_t a = 0; a < grid.axes.size(); ++a) pj["coords"][grid.axes[a].key] = p.coords[a];
        pj["seed"] = p.seed;
        pj["results"] = nlohmann::ordered_json::array();
        for (const auto& r : p.results) pj["results"].push_back(sim::to_json(r));
        j["points"].push_back(pj);
    }
    return j;
}

int write_outputs(const sim::Scenario& base, const SweepGrid& grid, const std::vector<SweepPoint>& points, const SweepOptions& o)
{
    std::string error;
    if (!write_sweep_plot(*o.trace, grid, points, &error)) {
        std::fprintf(stderr, "offsched-sim: %s\n", error.c_str());
        return kExitCantWrite;
    }
    if (!o.csv.empty() && !write_file_atomically(o.csv, sweep_csv(grid, points), &error)) {
        std::fprintf(stderr, "offsched-sim: cannot write CSV: %s\n", error.c_str());
        return kExitCantWrite;
    }
    if (!o.json.empty() && !write_file_atomically(o.json, sweep_json(base, grid, points).dump(2) + "\n", &error)) {
        std::fprintf(stderr, "offsched-sim: cannot write JSON: %s\n", error.c_str());
        return kExitCantWrite;
    }
    if (!o.quiet && o.json != "-" && o.csv != "-") std::fputs(render_sweep_table(grid, points).c_str(), stdout);
    return kExitOk;
}

} // namespace

int run_sweep(const sim::Scenario& base, const SweepOptions& o, MpiCluster& mpi)
{
    Plan plan{base, {}, base.designs.size()};
    try {
        plan.grid = parse_sweep_grid(o.axes, base.seed, o.seeds);
        const size_t n = simulations(plan.grid, plan.designs);
        if (n == 0)
            throw InputError({"<command line>", 0, 0}, "--sweep",
                             fmt::format("{} is more than {} simulations", grid_shape(plan.grid, plan.designs), kSweepSimulationsMax));
        if (n > kSweepSimulationsAsked && !o.yes) {
            std::fprintf(stderr, "offsched-sim: this sweep is %zu simulations (%s); add --yes to run them\n", n,
                         grid_shape(plan.grid, plan.designs).c_str());
            return kExitUsage;
        }
        // Every point is checked before the first one runs: a bad value at the end of an axis
        // is found now, not after hours.
        for (size_t c = 0; c < plan.grid.coordinate_count(); ++c) point_scenario(base, plan.grid, plan.grid.coordinates(c), base.seed);
    } catch (const InputError& e) {
        std::fprintf(stderr, "offsched-sim: %s\n", e.what());
        return kExitBadInput;
    }
    const auto body = [&plan](size_t job) {
        return sim::design_job(point_scenario(plan.base, plan.grid, plan.coords(job), plan.seed(job)), plan.design(job));
    };
    if (mpi.is_worker()) return mpi.serve(body);

    // What is kept from an earlier, interrupted run of the same sweep.
    const size_t total = plan.jobs();
    const bool default_place = o.results.empty();
    ResultsDir dir;
    {
        const nlohmann::ordered_json m = manifest(base);
        std::string error;
        switch (dir.open(default_place ? default_results_dir(m) : o.results, m, default_place, &error)) {
        case ResultsDir::Open::Ok: break;
        case ResultsDir::Open::OtherRun:
            std::fprintf(stderr, "offsched-sim: %s\n", error.c_str());
            return kExitBadInput;
        case ResultsDir::Open::Busy:
        case ResultsDir::Open::Unusable:
            if (!default_place) {
                std::fprintf(stderr, "offsched-sim: %s\n", error.c_str());
                return kExitCantWrite;
            }
            // The same sweep running twice at once, or no writable cache: run, but keep nothing.
            std::fprintf(stderr, "offsched-sim: warning: %s; this run keeps no finished points (interrupted, it starts over; "
                                 "--results DIR keeps them elsewhere)\n", error.c_str());
            break;
        }
    }
    std::vector<std::optional<sim::DesignResult>> results(total);
    std::vector<size_t> todo;
    size_t done = 0;
    for (size_t j = 0; j < total; ++j) {
        const nlohmann::ordered_json* kept = dir.is_open() ? dir.find(plan.key(j)) : nullptr;
        if (!kept) {
            todo.push_back(j);
            continue;
        }
        try {
            results[j] = sim::design_result_from_json(*kept);
            ++done;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "offsched-sim: %s/points.jsonl: unreadable result for %s: %s; remove the directory to start over\n",
                         dir.path().c_str(), plan.where(j).c_str(), e.what());
            return kExitBadInput;
        }
    }
    if (done && !o.quiet)
        std::fprintf(stderr, "offsched-sim: resuming from %s: %zu of %zu simulations already done%s\n", dir.path().c_str(), done, total,
                     missing_summary(plan, todo).c_str());
    if (dir.is_open())
        set_signal_note("\noffsched-sim: interrupted: ", fmt::format(" of {} simulations are kept in {}; the same command resumes there\n",
                                                                    total, dir.path()));
    else
        set_signal_note("\noffsched-sim: interrupted: ", fmt::format(" of {} simulations had finished; none were kept\n", total));
    signal_note_count(done);

    // Run what is missing, keeping each result the moment it arrives.
    std::string failure, write_error, pool_error;
    size_t ran_here = 0, ran_remote = 0;
    {
        JobProgress progress(total, done, !o.quiet);
        sim::RemoteWorkers* remote = mpi.workers();
        const size_t slots = o.jobs + (remote ? remote->count() : 0);
        const bool ran = sim::run_jobs(
            todo, body, sim::JobPoolOptions{o.jobs, remote},
            [&](const sim::JobOutcome& out) {
                sim::DesignResult r;
                std::string e;
                if (!sim::design_job_result(base.designs[plan.design(out.job)].name, out, &r, &e)) {
                    if (failure.empty()) failure = fmt::format("at {}: {}", plan.where(out.job), e);
                    return false;
                }
                // The line kept and the count an interruption reports change together: a signal
                // between the two made the note say one fewer than the file held.
                const tools::SignalsHeld held;
                if (dir.is_open() && !dir.append(plan.key(out.job), sim::to_json(r), &e)) {
                    if (write_error.empty()) write_error = e;
                    return false;
                }
                results[out.job] = std::move(r);
                ++(out.remote_worker < 0 ? ran_here : ran_remote);
                signal_note_count(++done);
                progress.update(done, std::min(slots, total - done), plan.where(out.job));
                return true;
            },
            &pool_error);
        if (!ran && failure.empty() && write_error.empty() && pool_error.empty()) pool_error = "the job pool stopped";
    }
    if (!failure.empty() || !write_error.empty() || !pool_error.empty()) {
        if (!failure.empty()) std::fprintf(stderr, "offsched-sim: simulation failed %s\n", failure.c_str());
        else if (!write_error.empty()) std::fprintf(stderr, "offsched-sim: cannot keep a result: %s\n", write_error.c_str());
        else std::fprintf(stderr, "offsched-sim: %s\n", pool_error.c_str());
        if (dir.is_open())
            std::fprintf(stderr, "offsched-sim: %zu of %zu simulations are kept in %s; the same command runs only the other %zu\n", done,
                         total, dir.path().c_str(), total - done);
        return write_error.empty() ? kExitSimFailed : kExitCantWrite;
    }

    if (mpi.ranks() > 1 && !o.quiet)
        std::fprintf(stderr, "offsched-sim: %zu simulations ran on %d MPI ranks: %zu on rank 0, %zu on the others\n", ran_here + ran_remote,
                     mpi.ranks(), ran_here, ran_remote);

    std::vector<SweepPoint> points(plan.points());
    for (size_t p = 0; p < points.size(); ++p) {
        points[p].coords = plan.coords(p * plan.designs);
        points[p].seed = plan.seed(p * plan.designs);
        for (size_t d = 0; d < plan.designs; ++d) points[p].results.push_back(*results[p * plan.designs + d]);
    }
    const int rc = write_outputs(base, plan.grid, points, o);
    if (rc == kExitOk && default_place && dir.is_open()) dir.remove(); // nothing left to resume
    else if (rc != kExitOk && dir.is_open())
        std::fprintf(stderr, "offsched-sim: every result is kept in %s: the same command writes the outputs without simulating again\n",
                     dir.path().c_str());
    return rc;
}

} // namespace offsched::tools
