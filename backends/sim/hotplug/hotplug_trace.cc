#include "backends/sim/hotplug/hotplug_trace.h"

#include <regex>
#include <sstream>

#include <fmt/format.h>

namespace offsched::sim::hotplug {

std::string format_event_body(const TraceEvent& e)
{
    switch (e.kind) {
    case EventKind::Enter:
    case EventKind::MultiEnter:
        return fmt::format("{}: cpu: {:04d} target: {:3d} step: {:3d} ({})",
                           e.kind == EventKind::Enter ? "cpuhp_enter" : "cpuhp_multi_enter", e.cpu,
                           e.target_or_state, e.step, e.fn);
    case EventKind::Exit:
        return fmt::format("cpuhp_exit:  cpu: {:04d}  state: {:3d} step: {:3d} ret: {}", e.cpu,
                           e.target_or_state, e.step, e.ret);
    case EventKind::Note:
        return "hotplug: " + e.text;
    }
    return "";
}

std::string format_event_line(const TraceEvent& e)
{
    return fmt::format("{:>16} [{:03d}] {:4d}.{:09d}: {}{}", e.task, e.on_cpu, e.t_ns / 1000000000,
                       e.t_ns % 1000000000, format_event_body(e),
                       e.traced || e.kind == EventKind::Note ? "" : "   <- not in a real trace: CPU not in cpu_online_mask");
}

std::string format_record(const CpuhpRecord& r)
{
    TraceEvent e;
    e.kind = r.kind;
    e.cpu = r.cpu;
    e.target_or_state = r.target_or_state;
    e.step = r.step;
    e.fn = r.fn;
    e.ret = r.ret;
    return fmt::format("[{:03d}] {}", r.on_cpu, format_event_body(e));
}

std::vector<CpuhpRecord> cpuhp_records(const std::vector<TraceEvent>& events)
{
    std::vector<CpuhpRecord> out;
    for (const auto& e : events)
        if (e.kind != EventKind::Note && e.traced)
            out.push_back({e.kind, e.cpu, e.target_or_state, e.step,
                           e.kind == EventKind::Exit ? "" : e.fn, e.kind == EventKind::Exit ? e.ret : 0,
                           e.on_cpu});
    return out;
}

bool parse_kernel_trace(const std::string& text, std::vector<CpuhpRecord>* out, std::string* error)
{
    static const std::regex cpu_col(R"(\[(\d{3})\])");
    static const std::regex enter(R"((cpuhp_enter|cpuhp_multi_enter): cpu: (\d+) target: +(-?\d+) step: +(\d+) \(([^)]+)\))");
    static const std::regex exit_(R"(cpuhp_exit: +cpu: (\d+) +state: +(-?\d+) step: +(\d+) ret: (-?\d+))");
    std::istringstream in(text);
    std::string line;
    int lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (line.find("cpuhp_") == std::string::npos || line.rfind("#", 0) == 0)
            continue;
        std::smatch m, c;
        const int on_cpu = std::regex_search(line, c, cpu_col) ? std::stoi(c[1]) : -1;
        if (std::regex_search(line, m, enter)) {
            out->push_back({m[1] == "cpuhp_enter" ? EventKind::Enter : EventKind::MultiEnter,
                            std::stoi(m[2]), std::stoi(m[3]), std::stoi(m[4]), m[5], 0, on_cpu});
        } else if (std::regex_search(line, m, exit_)) {
            out->push_back({EventKind::Exit, std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]), "",
                            std::stoi(m[4]), on_cpu});
        } else if (line.find("cpuhp_enter") != std::string::npos ||
                   line.find("cpuhp_exit") != std::string::npos ||
                   line.find("cpuhp_multi_enter") != std::string::npos) {
            *error = fmt::format("trace line {}: unrecognised cpuhp event: {}", lineno, line);
            return false;
        }
    }
    return true;
}

} // namespace offsched::sim::hotplug
