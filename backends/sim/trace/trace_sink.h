// What the machine/OS model tells a trace: core mode slices, NIC ring occupancy, IRQ lines and
// the steps of legitimate connections. The model holds a Trace handle; with tracing off the
// handle's pointer is null and every call is one predictable branch (no virtual call, no
// formatting), so untraced runs cost nothing measurable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backends/sim/run/result.h"

namespace offsched::sim::trace {

// Steps of one legitimate (ssh-like) connection, in the order they normally happen.
enum class FlowStep : uint32_t {
    Connect,   // the client sent its first SYN (no core: happens outside the host)
    SynIn,     // the host's TCP stack (or an offload core) handled a SYN of this connection
    SynAckOut, // the host sent the SYN-ACK
    AckIn,     // the handshake-completing ACK was handled: connection in the accept queue
    Accept,    // sshd's accept() returned it: success, connect latency = now - Connect
    GiveUp,    // the client gave up (ConnectTimeout / retries exhausted): failure
};
const char* flow_step_name(FlowStep s);
constexpr uint32_t kNoCore = 0xffffffffu;

// The shape of the traced machine, known at elaboration (VCD signals must exist before
// sc_start).
struct TraceLayout {
    std::string design;
    uint32_t design_index = 0;
    uint32_t design_count = 1;           // designs in the run (one VCD file each when > 1)
    std::vector<std::string> core_roles; // per core: "os" or "service:<name>"
    uint32_t nic_queues = 0;             // one ring counter and one IRQ line per queue
    uint64_t duration_ns = 0;            // simulated time of the run (for binning plots)
};

class TraceSink {
public:
    virtual ~TraceSink() = default;
    // From t_ns on, `core` runs in `mode`. `label` names what runs: the user task ("sshd"), the
    // kernel thread ("ksoftirqd/2") or the service; nullptr: the mode's own name. Slices never
    // overlap: each call ends the core's previous slice.
    virtual void core_mode(uint64_t t_ns, uint32_t core, CpuMode mode, const char* label) = 0;
    // RX descriptors of `queue` holding frames not yet taken by the driver/service.
    virtual void ring_fill(uint64_t t_ns, uint32_t queue, uint32_t fill) = 0;
    // The interrupt line of NIC queue `line` is asserted / deasserted.
    virtual void irq_line(uint64_t t_ns, uint32_t line, bool asserted) = 0;
    // A step of legitimate connection `conn` (ids unique per run), handled on `core`.
    virtual void flow(uint64_t t_ns, uint64_t conn, FlowStep step, uint32_t core) = 0;
    // The run ended at t_ns: close what is open and write the file.
    virtual void finish(uint64_t t_ns) = 0;
};

// The model's handle: a pointer check when off.
class Trace {
public:
    Trace() = default;
    explicit Trace(TraceSink* sink) : sink_(sink) {}
    bool on() const { return sink_ != nullptr; }
    void core_mode(uint64_t t, uint32_t core, CpuMode mode, const char* label = nullptr) const
    {
        if (sink_) sink_->core_mode(t, core, mode, label);
    }
    void ring_fill(uint64_t t, uint32_t queue, uint32_t fill) const
    {
        if (sink_) sink_->ring_fill(t, queue, fill);
    }
    void irq_line(uint64_t t, uint32_t line, bool asserted) const
    {
        if (sink_) sink_->irq_line(t, line, asserted);
    }
    void flow(uint64_t t, uint64_t conn, FlowStep step, uint32_t core = kNoCore) const
    {
        if (sink_) sink_->flow(t, conn, step, core);
    }

private:
    TraceSink* sink_ = nullptr;
};

// The trace of the design this process runs. One design runs per process (SystemC elaborates
// once), so the model's parts reach it here instead of through every constructor. Installed by
// TraceSession for its lifetime; null (off) otherwise.
inline Trace g_current_trace;
inline const Trace& current() { return g_current_trace; }

} // namespace offsched::sim::trace
