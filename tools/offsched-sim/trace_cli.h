// offsched-sim's visualisation options: --trace FILE.json [--trace-window FROM:TO]
// [--trace-sample N], --vcd FILE.vcd, --plot DIR. They fill sim::Scenario::trace; each design's
// child writes its own part, and finish_outputs() joins and renders them in the parent.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "backends/sim/run/result.h"
#include "backends/sim/run/scenario.h"
#include "tools/offsched-sim/sweep.h"

namespace offsched::tools {

struct TraceCli {
    std::string trace, window, vcd, plot;
    uint64_t sample = 1;
};

void add_trace_options(CLI::App& app, TraceCli* o);
// Checks the options and fills s->trace (creating the --plot directory). False with *error set
// (a usage error) when they do not fit together or a value is malformed.
bool apply_trace_options(const TraceCli& o, bool sweep, sim::Scenario* s, std::string* error);
// After the run: joins the trace parts and renders the run's figures. False with *error set.
bool finish_outputs(const sim::Scenario& s, std::string* error);
// After a failed run: removes whatever the designs that did finish wrote.
// The files the trace writers create before their outputs exist, removed if a signal ends the run.
void remove_trace_temporaries_on_signal(const sim::Scenario& s);
void discard_outputs(const sim::Scenario& s);
// --sweep with --plot: DIR/sweep.svg, output versus the first axis per design (and per value of
// the other axes), means across seeds with their spread.
bool write_sweep_plot(const TraceCli& o, const SweepGrid& grid, const std::vector<SweepPoint>& points, std::string* error);

} // namespace offsched::tools
