// Writes a run as Chrome trace-event JSON (the format ui.perfetto.dev and chrome://tracing
// open): one process per design, one thread per simulated core whose slices are its modes
// (B/E, never overlapping), per NIC queue a ring-occupancy counter (at most one sample per 2 us)
// and an IRQ-line counter, per followed connection an async slice (connect -> accept) with its
// phases, and flow arrows (s/t/f) linking the core slices that handled its SYN, SYN-ACK, ACK and accept.
// Streaming: one event per line straight to a temporary file renamed at finish(), so memory does
// not grow with the run and a crashed run leaves no half-written trace behind.
#pragma once

#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "backends/sim/trace/trace_sink.h"

namespace offsched::sim::trace {

class PerfettoWriter final : public TraceSink {
public:
    // Opens path (through path + ".tmp"); on failure ok() is false and error() says why.
    PerfettoWriter(const std::string& path, const TraceLayout& layout);
    ~PerfettoWriter() override;
    bool ok() const { return file_ != nullptr || finished_; }
    const std::string& error() const { return error_; }

    void core_mode(uint64_t t, uint32_t core, CpuMode mode, const char* label) override;
    void ring_fill(uint64_t t, uint32_t queue, uint32_t fill) override;
    void irq_line(uint64_t t, uint32_t line, bool asserted) override;
    void flow(uint64_t t, uint64_t conn, FlowStep step, uint32_t core) override;
    void finish(uint64_t t) override;

private:
    struct OpenSlice {
        bool open = false;
        CpuMode mode = CpuMode::Idle;
        std::string label;
    };
    struct Connection {
        const char* phase = nullptr; // the async phase slice open inside the connection slice
        bool flow_started = false; // an "s" was written: the chain must end with an "f"
        bool has_pending = false;  // the last step on a core, written once the next one is known
        uint64_t pending_t = 0;
        uint32_t pending_core = 0;
    };
    uint64_t trace_id(uint64_t conn) const;
    void event(const std::string& json_fields);
    void counter(uint64_t t, const std::string& name, const char* key, uint64_t value);
    void flow_event(char ph, uint64_t t, uint64_t conn, uint32_t core);
    void async(char ph, uint64_t t, uint64_t conn, const std::string& name, const std::string& args = "");
    void end_connection(uint64_t t, uint64_t conn, Connection& c, const char* result);

    std::string path_, tmp_path_, error_;
    std::FILE* file_ = nullptr;
    std::vector<char> buffer_;
    bool first_ = true, finished_ = false;
    uint32_t pid_;
    std::vector<OpenSlice> cores_;
    std::vector<std::string> roles_;
    static constexpr uint64_t kRingSampleNs = 2000;
    void flush_ring(uint32_t queue, uint64_t t);
    std::vector<int64_t> fills_, lines_; // last written value per queue (-1: none yet)
    std::vector<uint64_t> fill_at_;      // when it was written
    std::vector<int64_t> fill_held_;     // newer value not yet written (-1: none)
    std::unordered_map<uint64_t, Connection> conns_;
};

// Several designs each wrote path.part<i> (one process each); joins them into path, in design
// order, and removes the parts. Streaming, like the writer. Returns false with *error set.
std::string perfetto_part_path(const std::string& path, uint32_t design_index);
bool merge_perfetto_parts(const std::string& path, uint32_t designs, std::string* error);

} // namespace offsched::sim::trace
