// SystemC waveforms of a run (--vcd): per core its mode (the CpuMode number, see the header
// comment written into the file), per NIC queue its IRQ line and ring fill (the peak within each
// simulated instant: the fill the driver or service found), and the count of
// accepted legitimate connections. The values live here and sc_trace samples them at every
// simulated time step, so the sink must be built during elaboration (before sc_start) and
// closed after sc_start returns. Opens in GTKWave. SystemC samples every simulated instant: a
// flood run gets about 15x slower, so VCD is for short runs.
#pragma once

#include <string>
#include <vector>

#include "backends/sim/trace/trace_sink.h"

namespace sc_core {
class sc_trace_file;
}

namespace offsched::sim::trace {

// Where a VCD output is written until the run completes (SystemC's own "<base>.vcd" naming).
std::string vcd_temporary_path(const std::string& path);

class VcdSink final : public TraceSink {
public:
    // `path` should end in ".vcd" (SystemC adds that extension to whatever it is given).
    VcdSink(const std::string& path, const TraceLayout& layout);
    const std::string& error() const { return error_; } // "" once the file is traced
    ~VcdSink() override;
    void core_mode(uint64_t t, uint32_t core, CpuMode mode, const char* label) override;
    void ring_fill(uint64_t t, uint32_t queue, uint32_t fill) override;
    void irq_line(uint64_t t, uint32_t line, bool asserted) override;
    void flow(uint64_t t, uint64_t conn, FlowStep step, uint32_t core) override;
    void finish(uint64_t t) override;

private:
    sc_core::sc_trace_file* file_ = nullptr;
    std::string error_;
    std::string path_, tmp_path_; // the output, and where SystemC writes until finish()
    // Sized once before tracing starts: sc_trace keeps the addresses.
    std::vector<unsigned int> mode_, irq_, fill_; // fill_: peak in the current time step
    std::vector<uint64_t> fill_t_;
    unsigned int accepted_ = 0;
};

} // namespace offsched::sim::trace
