#include "backends/sim/trace/vcd_sink.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <systemc>
#include <sysc/tracing/sc_tracing_ids.h>

#include <fmt/format.h>

namespace offsched::sim::trace {

VcdSink::VcdSink(const std::string& path, const TraceLayout& layout)
    : mode_(layout.core_roles.size(), static_cast<unsigned int>(CpuMode::Idle)), irq_(layout.nic_queues, 0),
      fill_(layout.nic_queues, 0), fill_t_(layout.nic_queues, ~uint64_t{0})
{
    // SystemC writes to "<base>.vcd". The waveforms go to a temporary beside the output and take
    // its name only when complete (finish()): an interrupted run leaves no truncated VCD behind.
    path_ = path;
    const std::string base = path + ".tmp";
    tmp_path_ = base + ".vcd";
    // SystemC opens the file only when simulation starts and then fails with an exception:
    // find out now, while the run can still refuse cleanly.
    if (std::FILE* probe = std::fopen(tmp_path_.c_str(), "w")) {
        std::fclose(probe);
    } else {
        error_ = fmt::format("cannot write {}: {}", path, std::strerror(errno));
        return;
    }
    // SystemC announces the time unit on stdout, which may be carrying `--json -`; and it warns
    // there for every sample between two nanoseconds (offload cores step at picosecond times),
    // thousands per simulated millisecond: the samples land on the ns grid, which is the point.
    sc_core::sc_report_handler::set_actions(sc_core::SC_ID_TRACING_TIMESCALE_UNIT_, sc_core::SC_DO_NOTHING);
    sc_core::sc_report_handler::set_actions(sc_core::SC_ID_TRACING_VCD_TIME_RESOLUTION_, sc_core::SC_DO_NOTHING);
    file_ = sc_core::sc_create_vcd_trace_file(base.c_str());
    file_->set_time_unit(1, sc_core::SC_NS);
    std::string legend = "core<N>_mode:";
    for (uint32_t m = 0; m < static_cast<uint32_t>(CpuMode::Count); ++m)
        legend += fmt::format(" {}={}", m, cpu_mode_name(static_cast<CpuMode>(m)));
    file_->write_comment(legend);
    file_->write_comment("design " + layout.design);
    for (size_t c = 0; c < mode_.size(); ++c) sc_core::sc_trace(file_, mode_[c], fmt::format("core{}_mode", c), 3);
    for (size_t q = 0; q < irq_.size(); ++q) {
        sc_core::sc_trace(file_, irq_[q], fmt::format("irq{}", q), 1);
        sc_core::sc_trace(file_, fill_[q], fmt::format("ring{}_fill", q), 16);
    }
    sc_core::sc_trace(file_, accepted_, "legit_accepted", 32);
}

VcdSink::~VcdSink()
{
    if (!file_) return;
    sc_core::sc_close_vcd_trace_file(file_); // not finished: the run failed, keep nothing
    std::remove(tmp_path_.c_str());
}

void VcdSink::core_mode(uint64_t t, uint32_t core, CpuMode mode, const char*)
{
    // SystemC samples values once per time step: a mode announced for later in this step (an
    // offload core's idle tail) would hide the mode the step starts with.
    if (t > static_cast<uint64_t>(sc_core::sc_time_stamp().value() / sc_core::sc_time(1, sc_core::SC_NS).value())) return;
    if (core < mode_.size()) mode_[core] = static_cast<unsigned int>(mode);
}

void VcdSink::ring_fill(uint64_t t, uint32_t queue, uint32_t fill)
{
    if (queue >= fill_.size()) return;
    // SystemC samples once per time step, after the poll that drained the ring: keep the step's
    // peak, which is what the ring held when the driver or service got to it.
    const unsigned int v = fill > 0xffff ? 0xffff : fill;
    fill_[queue] = t == fill_t_[queue] && fill_[queue] > v ? fill_[queue] : v;
    fill_t_[queue] = t;
}

void VcdSink::irq_line(uint64_t, uint32_t line, bool asserted)
{
    if (line < irq_.size()) irq_[line] = asserted ? 1 : 0;
}

void VcdSink::flow(uint64_t, uint64_t, FlowStep step, uint32_t)
{
    if (step == FlowStep::Accept) ++accepted_;
}

void VcdSink::finish(uint64_t)
{
    if (!file_) return;
    sc_core::sc_close_vcd_trace_file(file_);
    file_ = nullptr;
    if (std::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
        error_ = fmt::format("cannot write {}: {}", path_, std::strerror(errno));
        std::remove(tmp_path_.c_str());
    }
}

std::string vcd_temporary_path(const std::string& path) { return path + ".tmp.vcd"; }

} // namespace offsched::sim::trace
