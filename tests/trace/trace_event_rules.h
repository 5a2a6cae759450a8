// The trace-event format rules (Chrome "Trace Event Format" doc, as ui.perfetto.dev and
// chrome://tracing read it) checked on a parsed file. Shared by the writer's unit tests and the
// end-to-end tests on traces of real simulation runs.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace offsched::test {

struct TraceCheck {
    std::vector<std::string> violations;  // empty: the file follows the rules
    std::map<std::string, size_t> by_phase; // "B" -> count ...
    size_t flows_completed = 0;            // s ... f chains
    size_t async_completed = 0;            // b/e pairs
    std::map<std::string, std::vector<double>> counters; // "pid/name/key" -> values in file order
    std::map<std::string, std::string> thread_names; // "pid/tid" -> name
    std::map<std::string, std::map<std::string, double>> slice_time; // "pid/tid" -> slice name -> total us
};

// Rules: every event has a phase; timed events have numeric ts and integer pid/tid; on each
// (pid, tid) track ts never decreases and B/E/X slices nest properly (E closes the innermost B,
// nothing left open); counter args are numbers; flow ids run s, t..., f in time order and each
// point lies in a slice of its track; async b/e pair up per (pid, cat, id) with matching names.
TraceCheck check_trace_events(const nlohmann::json& doc);

} // namespace offsched::test
