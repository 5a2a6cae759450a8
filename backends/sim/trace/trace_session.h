// The traces one design's run writes, built from TraceOptions by the child process that runs
// the design: the model creates a TraceSession during elaboration, hands session.handle() to its
// parts, and calls close() once sc_start has returned. With every option off the handle is null.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backends/sim/trace/trace_options.h"
#include "backends/sim/trace/trace_sink.h"

namespace offsched::sim::trace {

class TraceSession {
public:
    TraceSession(const TraceOptions& options, const TraceLayout& layout);
    ~TraceSession();
    TraceSession(const TraceSession&) = delete;
    TraceSession& operator=(const TraceSession&) = delete;

    // False when a file could not be opened (error() says which): the run should fail.
    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }
    Trace handle() const { return Trace(active_); }
    uint32_t design_index() const { return layout_.design_index; }
    // Ends what is open at end_ns and writes every file. Returns false with *error set.
    bool close(uint64_t end_ns, std::string* error);

private:
    class Fanout;
    TraceOptions options_;
    TraceLayout layout_;
    std::string error_;
    std::vector<std::unique_ptr<TraceSink>> sinks_; // owned writers, in the order they are fed
    class PerfettoWriter* perfetto_ = nullptr;
    class SeriesSink* series_ = nullptr;
    class VcdSink* vcd_ = nullptr;
    std::unique_ptr<TraceSink> window_;             // in front of perfetto_
    std::unique_ptr<Fanout> fanout_;
    TraceSink* active_ = nullptr;                   // fanout_ when anything is on
    bool closed_ = false;
};

// Where design `design_name` (one of `designs`) writes its VCD: the path itself for a single
// design, else "out.vcd" -> "out.<design>.vcd". Series files for --plot: DIR/series.<design>.json.
std::string vcd_path_for(const std::string& path, const std::string& design_name, uint32_t designs);
std::string series_path_for(const std::string& dir, const std::string& design_name);
std::string cpu_figure_path_for(const std::string& dir, const std::string& design_name); // DIR/cpu.<design>.svg

// Writes a whole file through path.tmp + rename (the trace library's outputs never appear half
// written). Returns false with *error set.
bool write_text_atomically(const std::string& path, const std::string& text, std::string* error);

// In the parent, after every design ran: joins the Perfetto parts into one file (a process per
// design) and renders the --plot figures. Returns false with *error set.
struct DesignOutputs {
    std::string name;
    uint64_t connect_timeout_ns = 0; // legit.connect_timeout_ns: when an attempt counts as failed
};
bool finish_trace_outputs(const TraceOptions& options, const std::vector<DesignOutputs>& designs, std::string* error);

} // namespace offsched::sim::trace
