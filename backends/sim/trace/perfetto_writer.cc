#include "backends/sim/trace/perfetto_writer.h"

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace offsched::sim::trace {

namespace {

// The format counts microseconds; three decimals keep the model's nanoseconds exact, printed from
// integers so the file is byte-identical run to run.
std::string ts(uint64_t ns) { return fmt::format("{}.{:03}", ns / 1000, ns % 1000); }

std::string json_string(const std::string& s) { return nlohmann::json(s).dump(); }

// The phase a connection is in after each step (async child slice names).
const char* phase_after(FlowStep s)
{
    switch (s) {
    case FlowStep::Connect: return "SYN sent, waiting for the host";
    case FlowStep::SynIn: return "SYN handled";
    case FlowStep::SynAckOut: return "SYN-ACK sent, waiting for ACK";
    case FlowStep::AckIn: return "in accept queue, waiting for sshd";
    default: return nullptr;
    }
}

constexpr const char* kHeader = "{\"traceEvents\":[";
constexpr const char* kFooter = "],\n\"displayTimeUnit\":\"ns\"}\n";

} // namespace

const char* flow_step_name(FlowStep s)
{
    switch (s) {
    case FlowStep::Connect: return "connect";
    case FlowStep::SynIn: return "SYN in";
    case FlowStep::SynAckOut: return "SYN-ACK out";
    case FlowStep::AckIn: return "ACK in";
    case FlowStep::Accept: return "accept";
    case FlowStep::GiveUp: return "give up";
    }
    return "?";
}

PerfettoWriter::PerfettoWriter(const std::string& path, const TraceLayout& layout)
    : path_(path), tmp_path_(path + ".tmp"), pid_(layout.design_index + 1)
{
    file_ = std::fopen(tmp_path_.c_str(), "w");
    if (!file_) {
        error_ = fmt::format("cannot write {}: {}", tmp_path_, std::strerror(errno));
        return;
    }
    buffer_.resize(1 << 20);
    std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
    std::fputs(kHeader, file_);
    event(fmt::format("\"ph\":\"M\",\"pid\":{},\"tid\":0,\"name\":\"process_name\",\"args\":{{\"name\":{}}}", pid_,
                      json_string("design " + layout.design)));
    event(fmt::format("\"ph\":\"M\",\"pid\":{},\"tid\":0,\"name\":\"process_sort_index\",\"args\":{{\"sort_index\":{}}}", pid_,
                      layout.design_index));
    for (uint32_t c = 0; c < layout.core_roles.size(); ++c) {
        event(fmt::format("\"ph\":\"M\",\"pid\":{},\"tid\":{},\"name\":\"thread_name\",\"args\":{{\"name\":{}}}", pid_, c + 1,
                          json_string(fmt::format("core {} ({})", c, layout.core_roles[c]))));
        event(fmt::format("\"ph\":\"M\",\"pid\":{},\"tid\":{},\"name\":\"thread_sort_index\",\"args\":{{\"sort_index\":{}}}", pid_,
                          c + 1, c));
    }
    cores_.resize(layout.core_roles.size());
    roles_ = layout.core_roles;
    fills_.assign(layout.nic_queues, -1);
    fill_at_.assign(layout.nic_queues, 0);
    fill_held_.assign(layout.nic_queues, -1);
    lines_.assign(layout.nic_queues, -1);
}

PerfettoWriter::~PerfettoWriter()
{
    if (file_) { // never finished: the run failed, leave nothing behind
        std::fclose(file_);
        std::remove(tmp_path_.c_str());
    }
}

void PerfettoWriter::event(const std::string& fields)
{
    if (!file_) return;
    std::fputs(first_ ? "\n{" : "\n,{", file_);
    std::fputs(fields.c_str(), file_);
    std::fputc('}', file_);
    first_ = false;
}

void PerfettoWriter::core_mode(uint64_t t, uint32_t core, CpuMode mode, const char* label)
{
    if (core >= cores_.size()) cores_.resize(core + 1);
    OpenSlice& s = cores_[core];
    std::string name = label ? label : cpu_mode_name(mode);
    if (!label && mode == CpuMode::Ksoftirqd) name = fmt::format("ksoftirqd/{}", core); // as ps shows it
    if (!label && mode == CpuMode::Service && core < roles_.size()) name = roles_[core]; // "service:firewall"
    if (s.open && s.mode == mode && s.label == name) return; // same slice goes on
    if (s.open) event(fmt::format("\"ph\":\"E\",\"pid\":{},\"tid\":{},\"ts\":{}", pid_, core + 1, ts(t)));
    s = {true, mode, name};
    event(fmt::format("\"ph\":\"B\",\"pid\":{},\"tid\":{},\"ts\":{},\"cat\":\"cpu\",\"name\":{},\"args\":{{\"mode\":\"{}\"}}", pid_,
                      core + 1, ts(t), json_string(name), cpu_mode_name(mode)));
}

void PerfettoWriter::counter(uint64_t t, const std::string& name, const char* key, uint64_t value)
{
    event(fmt::format("\"ph\":\"C\",\"pid\":{},\"tid\":0,\"ts\":{},\"name\":\"{}\",\"args\":{{\"{}\":{}}}", pid_, ts(t), name, key, value));
}

void PerfettoWriter::ring_fill(uint64_t t, uint32_t queue, uint32_t fill)
{
    if (fills_.size() <= queue) {
        fills_.resize(queue + 1, -1);
        fill_at_.resize(queue + 1, 0);
        fill_held_.resize(queue + 1, -1);
    }
    // A polled ring changes every few hundred ns; one sample per kRingSampleNs keeps a trace
    // of a flood to a size a browser opens. The latest value is held and written later.
    if (fills_[queue] >= 0 && t < fill_at_[queue] + kRingSampleNs) {
        fill_held_[queue] = fill;
        return;
    }
    flush_ring(queue, t);
    if (fills_[queue] == fill) return;
    fills_[queue] = fill;
    fill_at_[queue] = t;
    counter(t, fmt::format("rx ring q{}", queue), "fill", fill);
}

// Writes a held ring value (if it differs from the last written) at the latest time <= t.
void PerfettoWriter::flush_ring(uint32_t queue, uint64_t t)
{
    if (fill_held_[queue] < 0) return;
    const int64_t v = fill_held_[queue];
    fill_held_[queue] = -1;
    if (v == fills_[queue]) return;
    const uint64_t at = std::min(t, fill_at_[queue] + kRingSampleNs);
    fills_[queue] = v;
    fill_at_[queue] = at;
    counter(at, fmt::format("rx ring q{}", queue), "fill", static_cast<uint64_t>(v));
}

void PerfettoWriter::irq_line(uint64_t t, uint32_t line, bool asserted)
{
    if (lines_.size() <= line) lines_.resize(line + 1, -1);
    if (lines_[line] == (asserted ? 1 : 0)) return;
    lines_[line] = asserted ? 1 : 0;
    counter(t, fmt::format("irq q{}", line), "asserted", asserted ? 1 : 0);
}

// Flow ids are global to the file: designs merged into one file must not share them.
uint64_t PerfettoWriter::trace_id(uint64_t conn) const { return uint64_t{pid_} << 40 | conn; }

void PerfettoWriter::flow_event(char ph, uint64_t t, uint64_t conn, uint32_t core)
{
    // v1 flow events bind to the slice enclosing them on the core's thread ("bp":"e"): the
    // softirq that took the SYN, the sshd slice that accepted it.
    event(fmt::format("\"ph\":\"{}\",\"pid\":{},\"tid\":{},\"ts\":{},\"cat\":\"ssh\",\"name\":\"ssh #{}\",\"id\":{},\"bp\":\"e\"", ph,
                      pid_, core + 1, ts(t), conn, trace_id(conn)));
}

void PerfettoWriter::async(char ph, uint64_t t, uint64_t conn, const std::string& name, const std::string& args)
{
    event(fmt::format("\"ph\":\"{}\",\"pid\":{},\"tid\":0,\"ts\":{},\"cat\":\"ssh\",\"id\":{},\"name\":{}{}", ph, pid_, ts(t), trace_id(conn),
                      json_string(name), args.empty() ? "" : ",\"args\":" + args));
}

void PerfettoWriter::end_connection(uint64_t t, uint64_t conn, Connection& c, const char* result)
{
    if (c.phase) async('e', t, conn, c.phase);
    async('e', t, conn, fmt::format("ssh #{}", conn), fmt::format("{{\"result\":\"{}\"}}", result));
}

void PerfettoWriter::flow(uint64_t t, uint64_t conn, FlowStep step, uint32_t core)
{
    auto [it, fresh] = conns_.try_emplace(conn);
    Connection& c = it->second;
    if (fresh) async('b', t, conn, fmt::format("ssh #{}", conn));
    // Each step's flow event is written once the next step is known, so it can say whether it
    // starts ("s"), continues ("t") or ends ("f") the arrow chain: ids always match.
    const bool last = step == FlowStep::Accept || step == FlowStep::GiveUp;
    // The SYN-ACK leaves from the core that handled the SYN, in the same instant.
    if (step == FlowStep::SynAckOut && core == kNoCore && c.has_pending && c.pending_t == t) core = c.pending_core;
    if (core != kNoCore) {
        if (c.has_pending) {
            flow_event(c.flow_started ? 't' : 's', c.pending_t, conn, c.pending_core);
            c.flow_started = true;
        }
        c.has_pending = true;
        c.pending_t = t;
        c.pending_core = core;
    }
    if (last) {
        if (c.has_pending && c.flow_started) flow_event('f', c.pending_t, conn, c.pending_core);
        end_connection(t, conn, c, step == FlowStep::Accept ? "accepted" : "gave up");
        conns_.erase(it);
        return;
    }
    if (c.phase) async('e', t, conn, c.phase);
    // Phase slices nest inside the connection's slice (same id), one after the other.
    c.phase = phase_after(step);
    async('b', t, conn, c.phase, fmt::format("{{\"step\":\"{}\",\"core\":{}}}", flow_step_name(step),
                                                      core == kNoCore ? -1 : static_cast<int64_t>(core)));
}

void PerfettoWriter::finish(uint64_t t)
{
    if (finished_ || !file_) return;
    for (auto& [conn, c] : conns_) { // connections still waiting when the window/run ends
        if (c.has_pending && c.flow_started) flow_event('f', c.pending_t, conn, c.pending_core);
        end_connection(t, conn, c, "open at end of trace");
    }
    conns_.clear();
    for (uint32_t q = 0; q < fills_.size(); ++q) flush_ring(q, t);
    for (uint32_t core = 0; core < cores_.size(); ++core)
        if (cores_[core].open) event(fmt::format("\"ph\":\"E\",\"pid\":{},\"tid\":{},\"ts\":{}", pid_, core + 1, ts(t)));
    std::fputs("\n", file_);
    std::fputs(kFooter, file_);
    const bool write_ok = std::fflush(file_) == 0 && !std::ferror(file_);
    std::fclose(file_);
    file_ = nullptr;
    finished_ = true;
    if (!write_ok || std::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
        error_ = fmt::format("cannot write {}: {}", path_, std::strerror(errno));
        std::remove(tmp_path_.c_str());
    }
}

std::string perfetto_part_path(const std::string& path, uint32_t design_index)
{
    return fmt::format("{}.part{}", path, design_index);
}

bool merge_perfetto_parts(const std::string& path, uint32_t designs, std::string* error)
{
    const std::string tmp = path + ".tmp";
    std::ofstream out(tmp, std::ios::binary);
    if (!out) {
        *error = fmt::format("cannot write {}: {}", tmp, std::strerror(errno));
        return false;
    }
    out << kHeader;
    bool first = true;
    for (uint32_t i = 0; i < designs; ++i) {
        const std::string part = perfetto_part_path(path, i);
        std::ifstream in(part, std::ios::binary);
        if (!in) {
            *error = fmt::format("cannot read {}: {}", part, std::strerror(errno));
            std::remove(tmp.c_str());
            return false;
        }
        // Part layout (written above): header line, one event per line ("{" or ",{"), footer.
        std::string line;
        std::getline(in, line);
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            if (line[0] == ']') break;
            const size_t brace = line.find('{');
            out << (first ? "\n" : ",\n") << std::string_view(line).substr(brace);
            first = false;
        }
    }
    out << "\n" << kFooter;
    out.close();
    if (!out || std::rename(tmp.c_str(), path.c_str()) != 0) {
        *error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
        std::remove(tmp.c_str());
        return false;
    }
    for (uint32_t i = 0; i < designs; ++i) std::remove(perfetto_part_path(path, i).c_str());
    return true;
}

} // namespace offsched::sim::trace
