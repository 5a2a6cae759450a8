#include "backends/sim/hotplug/explain.h"

#include <fmt/format.h>

namespace offsched::sim::hotplug {

namespace {

// "[236 online | ONLINE section]" for enter events: which state the step is.
std::string state_label(const CpuhpTable& t, const HotplugResult& r, int step)
{
    const CpuhpState* s = t.find(step);
    for (const auto& reg : r.registered)
        if (!s && reg.step == step)
            s = &reg;
    if (!s)
        return fmt::format("[step {}]", step);
    return fmt::format("[{} {} | {}]", step, s->name, section_name(s->section));
}

std::string op_title(const HotplugOp& op)
{
    std::string t = fmt::format("{} cpu {}", op.kind == HotplugOp::Kind::Offline ? "offline" : "online", op.cpu);
    if (op.fail_at >= 0)
        t += fmt::format(", hotplug/fail = {}", op.fail_at);
    if (op.error_at >= 0)
        t += fmt::format(", callback of step {} returns {}", op.error_at, op.error_ret);
    return t;
}

} // namespace

void print_explain(const HotplugScenario& s, const HotplugResult& r, std::ostream& out, const ExplainOptions& opt)
{
    out << fmt::format("# {} - CPU hotplug as {} does it ({} CPUs)\n", s.name, r.kernel, s.run.ncpus);
    out << "# Events use the kernel's cpuhp trace format; time is simulated (s.ns since the run began).\n"
           "# PREPARE states run on the control CPU, STARTING on the plugged CPU with interrupts off,\n"
           "# ONLINE in the plugged CPU's cpuhp/N thread. Lines marked 'not in a real trace' happen\n"
           "# while the CPU is outside cpu_online_mask, where tracepoints do not fire.\n";
    size_t ev = 0;
    for (size_t i = 0; i < r.ops.size(); ++i) {
        const OpResult& op = r.ops[i];
        out << fmt::format("\n=== op {}: {} ===\n", i + 1, op_title(op.op));
        for (; ev < r.events.size(); ++ev) {
            const TraceEvent& e = r.events[ev];
            if (e.op > int(i))
                break;
            if (e.kind == EventKind::Note && !opt.notes)
                continue;
            out << format_event_line(e) << "\n";
            if (!opt.why)
                continue;
            if (e.kind == EventKind::Enter || e.kind == EventKind::MultiEnter) {
                if (!e.why.empty())
                    out << fmt::format("{:>24}why: {} {}\n", "", state_label(s.table, r, e.step), e.why);
            } else if (!e.why.empty()) {
                out << fmt::format("{:>24}why: {}\n", "", e.why);
            }
        }
        out << fmt::format("=== op {} done: write returned {}, cpu{}/hotplug/state = {}, took {} ns simulated ===\n",
                           i + 1, op.ret, op.op.cpu, op.final_state, op.end_ns - op.start_ns);
    }
    for (; ev < r.events.size(); ++ev) // after the last op (e.g. the service still running)
        if (r.events[ev].kind != EventKind::Note || opt.notes)
            out << format_event_line(r.events[ev]) << "\n";
    if (r.service.runs) {
        const ServiceFacts& f = r.service;
        out << fmt::format("\n# offsched service '{}': ran on cpu {} from {} ns to {} ns ({} polls), {}\n",
                           s.run.offsched.service, f.cpu, f.start_ns, f.stop_ns, f.polls,
                           f.killed_by_init ? "KILLED by INIT/SIPI mid-loop"
                           : f.stopped_cooperatively
                               ? fmt::format("stopped cooperatively by step {} on cpu {} before INIT/SIPI at {} ns",
                                             f.stop_step, f.stop_on_cpu, f.init_sipi_ns)
                               : "still running at the end");
    }
}

bool explain_hotplug_file(const std::string& scenario_path, std::ostream& out, std::string* error,
                          const ExplainOptions& opt)
{
    HotplugScenario s;
    if (!load_hotplug_scenario(scenario_path, &s, error))
        return false;
    HotplugResult r;
    if (!run_hotplug(s.table, s.run, &r, error))
        return false;
    print_explain(s, r, out, opt);
    return true;
}

} // namespace offsched::sim::hotplug
