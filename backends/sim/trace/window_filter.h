// Cuts a run down to --trace-window and --trace-sample before it reaches a writer, so a trace
// of a long run stays small: events outside [from, to) are dropped; at `from` the state the
// machine is in (each core's mode, ring fills, asserted lines) is replayed, so the window opens
// mid-run without orphan slices. Memory: a few words per core, queue, and connection alive.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "backends/sim/trace/trace_sink.h"

namespace offsched::sim::trace {

class WindowFilter final : public TraceSink {
public:
    WindowFilter(TraceSink* inner, uint64_t from_ns, uint64_t to_ns, uint64_t sample_every);
    void core_mode(uint64_t t, uint32_t core, CpuMode mode, const char* label) override;
    void ring_fill(uint64_t t, uint32_t queue, uint32_t fill) override;
    void irq_line(uint64_t t, uint32_t line, bool asserted) override;
    void flow(uint64_t t, uint64_t conn, FlowStep step, uint32_t core) override;
    void finish(uint64_t t) override;

private:
    struct CoreState {
        bool known = false;
        CpuMode mode = CpuMode::Idle;
        std::string label;
    };
    // True when an event at t is to be forwarded; opens or closes the window as time passes.
    bool pass(uint64_t t);
    void open();
    template <typename T> static void grow(std::vector<T>& v, uint32_t i) { if (v.size() <= i) v.resize(i + 1); }

    TraceSink* inner_;
    uint64_t from_, to_, every_;
    bool opened_ = false, closed_ = false;
    std::vector<CoreState> cores_;
    std::vector<int64_t> fills_;   // -1: never reported
    std::vector<int8_t> lines_;    // -1: never reported
    std::unordered_map<uint64_t, bool> sampled_; // connections alive: traced or not
};

} // namespace offsched::sim::trace
