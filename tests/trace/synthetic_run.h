// A small, deterministic stand-in for the model's calls into a trace sink (no SystemC): cores
// cycling through modes with hardirqs cutting into tasks, rings filling and draining, IRQ lines,
// and legitimate connections that are accepted, give up, or are still waiting at the end. Lets
// the writer tests cover every kind of event in microseconds of CPU.
#pragma once

#include "backends/sim/trace/trace_sink.h"

namespace offsched::test {

struct SyntheticRun {
    uint32_t cores = 3;
    uint32_t queues = 2;
    uint64_t end_ns = 2'000'000; // 2 ms
    uint64_t connections = 12;   // one every 150 us
};

sim::trace::TraceLayout synthetic_layout(const SyntheticRun& run, const char* design = "baseline", uint32_t index = 0);
// Feeds every event of the run to `sink`, then sink->finish(run.end_ns).
void drive(const SyntheticRun& run, sim::trace::TraceSink* sink);

} // namespace offsched::test
