// offsched-sim: runs the designs a scenario lists on the same simulated traffic and prints them
// side by side.   offsched-sim SCENARIO.yaml [--seed N] [--json FILE|-] [--set key=value ...]
// [--sweep key=from:to:steps ... [--seeds N] [--results DIR]] [-j N]; also under mpirun.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "backends/sim/hotplug/explain.h"
#include "backends/sim/hotplug/hotplug_scenario.h"
#include "backends/sim/run/simulate.h"
#include "tools/lib/atomic_file.h"
#include "tools/lib/cli_number.h"
#include "lib/input/input_file.h"
#include "tools/lib/signal_cleanup.h"
#include "tools/lib/version.h"
#include "tools/lib/scenario_loader.h"
#include "tools/offsched-sim/exit_codes.h"
#include "tools/lib/prefix_set_files.h"
#include "tools/offsched-sim/progress.h"
#include "tools/offsched-sim/report_table.h"
#include "tools/offsched-sim/mpi_cluster.h"
#include "tools/offsched-sim/sweep_run.h"
#include "tools/offsched-sim/trace_cli.h"

using namespace offsched;
using namespace offsched::tools;

namespace {

struct Options {
    std::string scenario;
    uint64_t seed = 0;
    bool seed_given = false;
    std::string json;
    std::vector<std::string> sets;
    std::vector<std::string> only_designs;
    bool quiet = false;
    bool explain = false;
    std::vector<std::string> sweep; // one per axis
    uint64_t seeds = 1;
    bool seeds_given = false;
    std::string results;
    bool yes = false;
    size_t jobs = 0; // 0: every usable CPU (one per MPI rank)
    std::string csv;
    TraceCli trace; // --trace, --trace-window, --trace-sample, --vcd, --plot
};

nlohmann::ordered_json results_json(const sim::Scenario& s, const std::vector<sim::DesignResult>& rs)
{
    nlohmann::ordered_json j;
    j["tool"] = "offsched-sim";
    j["format_version"] = 1; // a sweep's document is format 2 (sweep_run.cc)
    j["seed"] = s.seed;
    j["scenario"] = scenario_to_json(s);
    j["results"] = nlohmann::ordered_json::array();
    for (const auto& r : rs) j["results"].push_back(sim::to_json(r));
    return j;
}

int input_error_exit(const InputError& e)
{
    std::fprintf(stderr, "offsched-sim: %s\n", e.what());
    return e.where().line == 0 && e.field().empty() ? kExitNoInput : kExitBadInput;
}

} // namespace

int main(int argc, char** argv)
{
    MpiCluster mpi(&argc, &argv); // under mpirun: rank 0 leads, the others run simulations
    Options o;
    CLI::App app{"Runs an offsched scenario: every design it lists, side by side, on the same traffic."};
    app.add_option("scenario", o.scenario, "scenario file (YAML), e.g. scenarios/syn_flood.yaml")->required();
    app.add_option("--seed", o.seed, "random seed (default: the scenario's)")
        ->check(whole_number<uint64_t>())
        ->each([&](const std::string&) { o.seed_given = true; });
    app.set_version_flag("--version", version_line("offsched-sim"));
    app.add_option("--json", o.json, "also write results and the resolved scenario as JSON to FILE ('-': stdout, no table)");
    // One value per occurrence (repeat the option), so `--set k=v scenario.yaml` does not take
    // the scenario as a second override.
    app.add_option("--set", o.sets, "override a parameter for every design: section.field=value (repeatable)")->allow_extra_args(false);
    app.add_option("--design", o.only_designs, "run only the named design (repeatable)")->allow_extra_args(false);
    app.add_flag("-q,--quiet", o.quiet, "print no table and no progress");
    app.add_flag("--explain", o.explain, "for a hotplug scenario: print every cpuhp step, on which CPU, and why");
    app.add_option("--sweep", o.sweep,
                   "run once per value: section.field=from:to:steps[:log]; repeat for a grid (the cross product)")
        ->allow_extra_args(false);
    app.add_option("--seeds", o.seeds, "with --sweep: run each point N times, seeds SEED..SEED+N-1, and show the spread")
        ->check(whole_number<uint64_t>())
        ->each([&](const std::string&) { o.seeds_given = true; });
    app.add_option("--results", o.results,
                   "with --sweep: keep each finished simulation in DIR and resume from it (default: a cache directory, "
                   "removed when the sweep is done)");
    app.add_flag("--yes", o.yes, fmt::format("with --sweep: run a grid of more than {} simulations", kSweepSimulationsAsked));
    app.add_option("-j,--jobs", o.jobs, "simulations at once (default: every usable CPU; 1 per rank under mpirun)")
        ->check(whole_number<size_t>(1, 4096));
    app.add_option("--csv", o.csv, "with --sweep: write every point as CSV to FILE ('-': stdout)");
    add_trace_options(app, &o.trace);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? kExitOk : kExitUsage;
    }

    if (!mpi.unusable().empty()) {
        std::fprintf(stderr, "offsched-sim: %s\n", mpi.unusable().c_str());
        return kExitUsage;
    }
    if (o.jobs == 0) o.jobs = mpi.ranks() > 1 ? 1 : sim::usable_cpus();
    install_signal_cleanup(); // Ctrl-C and kill leave no temporaries or partial outputs
    // Every input file is checked before anything parses it (a directory, a device, not UTF-8...).
    try {
        read_input_file(o.scenario);
    } catch (const InputError& e) {
        return input_error_exit(e);
    }
    // A hotplug scenario (top-level `hotplug:`) is a walk through the cpuhp state machine, not
    // a packet run: it is explained step by step.
    if (sim::hotplug::is_hotplug_scenario(o.scenario)) {
        // It is explained, not simulated: an option that asks for results would be silently ignored.
        const std::pair<bool, const char*> unused[] = {
            {!o.json.empty(), "--json"}, {!o.sweep.empty(), "--sweep"}, {!o.csv.empty(), "--csv"}, {!o.sets.empty(), "--set"},
            {o.seeds_given, "--seeds"}, {!o.results.empty(), "--results"},
            {o.seed_given, "--seed"}, {!o.only_designs.empty(), "--design"}, {!o.trace.trace.empty(), "--trace"},
            {!o.trace.vcd.empty(), "--vcd"}, {!o.trace.plot.empty(), "--plot"}};
        for (const auto& [given, name] : unused)
            if (given) {
                std::fprintf(stderr, "offsched-sim: %s: a hotplug scenario is explained step by step (--explain), it produces no %s results\n",
                             o.scenario.c_str(), name);
                return kExitUsage;
            }
        std::string error;
        if (!sim::hotplug::explain_hotplug_file(o.scenario, std::cout, &error)) {
            std::fprintf(stderr, "offsched-sim: %s\n", error.c_str());
            return kExitBadInput;
        }
        return kExitOk;
    }
    if (o.explain) {
        std::fprintf(stderr, "offsched-sim: --explain needs a hotplug scenario (one with a top-level 'hotplug:' key)\n");
        return kExitUsage;
    }

    sim::Scenario scenario;
    try {
        std::vector<ParamOverride> overrides;
        for (const std::string& s : o.sets) overrides.push_back(parse_override(s));
        scenario = load_scenario(o.scenario, overrides);
    } catch (const InputError& e) {
        return input_error_exit(e);
    }
    if (o.seed_given) scenario.seed = o.seed;
    if (!o.only_designs.empty()) {
        std::vector<sim::Design> kept;
        for (const std::string& name : o.only_designs) {
            auto it = std::find_if(scenario.designs.begin(), scenario.designs.end(),
                                   [&](const sim::Design& d) { return d.name == name; });
            if (it == scenario.designs.end()) {
                std::fprintf(stderr, "offsched-sim: --design: '%s' is not a design of %s\n", name.c_str(), o.scenario.c_str());
                return kExitUsage;
            }
            kept.push_back(*it);
        }
        scenario.designs = kept;
    }
    if (!o.quiet) // what each design's prefix sets hold and take, as offschedctl reports at attach
        for (const sim::Design& d : scenario.designs)
            if (d.service)
                for (const std::string& line : describe_prefix_sets(d.service->config_size, d.service_config))
                    std::fprintf(stderr, "%s: %s\n", d.name.c_str(), line.c_str());

    if (std::string e; !apply_trace_options(o.trace, !o.sweep.empty(), &scenario, &e)) {
        std::fprintf(stderr, "offsched-sim: %s\n", e.c_str());
        return kExitUsage;
    }
    for (const std::string* path : {&o.json, &o.csv, &o.trace.trace, &o.trace.vcd}) { // before the run, not after it
        std::string why;
        if (!path->empty() && !check_output_path(*path, &why)) {
            std::fprintf(stderr, "offsched-sim: %s\n", why.c_str());
            return kExitCantWrite;
        }
    }
    remove_trace_temporaries_on_signal(scenario);
    if (!o.sweep.empty()) {
        SweepOptions so{o.sweep, o.seeds, o.results, o.yes, o.jobs, o.quiet, o.json, o.csv, &o.trace};
        return run_sweep(scenario, so, mpi);
    }
    for (const auto& [given, name] : {std::pair{!o.csv.empty(), "--csv"}, {o.seeds_given, "--seeds"}, {!o.results.empty(), "--results"},
                                      {o.yes, "--yes"}})
        if (given) {
            std::fprintf(stderr, "offsched-sim: %s needs --sweep\n", name);
            return kExitUsage;
        }
    // Under mpirun the other ranks take designs too, unless the run records traces: those are
    // written by the simulating process and merged here, so they stay on this machine.
    sim::RemoteWorkers* remote = scenario.trace.any() ? nullptr : mpi.workers();
    if (mpi.is_worker())
        return mpi.serve([&scenario](size_t i) { return sim::design_job(scenario, i); }); // gets no job when tracing
    std::vector<sim::DesignResult> results;
    std::string error;
    {
        Progress progress(1, !o.quiet);
        progress.step(fmt::format("simulating {} design(s) of {}", scenario.designs.size(), scenario.name));
        progress.simulating(scenario.designs.empty() ? 0 : scenario.designs[0].params.run.duration_ns, scenario.designs.size());
        if (!sim::simulate(scenario, &results, &error, o.jobs, remote)) {
            std::fprintf(stderr, "offsched-sim: simulation failed: %s\n", error.c_str());
            discard_outputs(scenario);
            return kExitSimFailed;
        }
    }
    if (!finish_outputs(scenario, &error)) {
        std::fprintf(stderr, "offsched-sim: %s\n", error.c_str());
        return kExitCantWrite;
    }

    const bool json_to_stdout = o.json == "-";
    if (!o.quiet && !json_to_stdout) std::fputs(render_table(scenario, results).c_str(), stdout);
    if (!o.json.empty() && !write_file_atomically(o.json, results_json(scenario, results).dump(2) + "\n", &error)) {
        std::fprintf(stderr, "offsched-sim: cannot write JSON: %s\n", error.c_str());
        return kExitCantWrite;
    }
    return kExitOk;
}
