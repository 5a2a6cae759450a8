#include "backends/sim/hotplug/hotplug_engine.h"

#include <cstdlib>

#include <fmt/format.h>
#include <systemc>

#include "backends/sim/hotplug/engine.h"
#include "lib/input/input_error.h"

namespace offsched::sim::hotplug {

using detail::Engine;
using detail::kOffschedCallback;

namespace {

// An error in operation i, as every input error reads: "file:line:column: field
// 'hotplug.ops[i].cpu': what" (without the place for a run built in code).
std::string op_error(const HotplugRun& run, size_t i, const char* field, const std::string& what)
{
    const HotplugOp& op = run.ops[i];
    const std::string name = fmt::format("hotplug.ops[{}].{}", i, field);
    if (run.file.empty() || !op.line) return fmt::format("{}: {}", name, what);
    return tools::InputError({run.file, op.line, op.column}, name, what).what();
}

// The checks fail_store() (kernel/cpu.c) applies to /sys/.../hotplug/fail, plus the model's own.
bool validate(const CpuhpTable& t, const HotplugRun& run, std::string* error)
{
    if (run.ncpus < 2 || run.ncpus > 64) {
        *error = fmt::format("{}cpus: {} is outside 2..64", run.file.empty() ? "" : run.file + ": ", run.ncpus);
        return false;
    }
    if (run.offsched.enabled && (run.offsched.cpu < 1 || run.offsched.cpu >= run.ncpus)) {
        *error = fmt::format("{}offsched.cpu: {} is not a hot-pluggable CPU (1..{})",
                             run.file.empty() ? "" : run.file + ": ", run.offsched.cpu, run.ncpus - 1);
        return false;
    }
    std::vector<bool> online(run.ncpus, true);
    for (size_t i = 0; i < run.ops.size(); ++i) {
        const HotplugOp& op = run.ops[i];
        const bool down = op.kind == HotplugOp::Kind::Offline;
        if (op.cpu < 1 || op.cpu >= run.ncpus) {
            *error = op_error(run, i, "cpu", fmt::format("{} is not a hot-pluggable CPU (1..{}; cpu 0 has no online "
                                                         "file on x86 without cpu0_hotplug)", op.cpu, run.ncpus - 1));
            return false;
        }
        if (online[op.cpu] != down) {
            *error = op_error(run, i, "cpu", fmt::format("cpu {} is already {}", op.cpu, down ? "offline" : "online"));
            return false;
        }
        if (op.fail_at >= 0) {
            const CpuhpState* s = t.find(op.fail_at);
            std::string why;
            if (!s || (s->startup.empty() && s->teardown.empty()))
                why = "has no callbacks (the kernel answers EINVAL)";
            else if (t.anchors.ap_idle_dead <= op.fail_at && op.fail_at < t.anchors.ap_online)
                why = "is a STARTING/DYING state, which cannot fail (EINVAL)";
            else if (down && op.fail_at <= t.anchors.bringup_cpu)
                why = "is a DEAD state or cpu:bringup, which cannot fail on the way down (EINVAL)";
            else if ((down ? s->teardown : s->startup).empty())
                why = fmt::format("has no {} callback: this {} never reaches it (the kernel would leave "
                                  "the failure armed for a later operation)", down ? "teardown" : "startup",
                                  down ? "offline" : "online");
            if (!why.empty()) {
                *error = op_error(run, i, "fail_at", fmt::format("step {} {}", op.fail_at, why));
                return false;
            }
        }
        if (op.error_at >= 0) {
            const CpuhpState* s = t.find(op.error_at);
            std::string why;
            if (!s || (down ? s->teardown : s->startup).empty())
                why = fmt::format("has no {} callback", down ? "teardown" : "startup");
            else if (s->instances >= 0)
                why = "is multi-instance (inject with fail_at instead)";
            else if (t.anchors.ap_idle_dead <= op.error_at && op.error_at < t.anchors.ap_online)
                why = "is a STARTING/DYING state, which must not fail";
            else if (op.error_at == t.anchors.bringup_cpu || op.error_at == t.anchors.teardown_cpu)
                why = "is the state machine's own cpu:bringup/cpu:teardown";
            else if (down && op.error_at <= t.anchors.bringup_cpu)
                why = "is a DEAD callback, which must not fail";
            if (!why.empty()) {
                *error = op_error(run, i, "error_at", fmt::format("step {} {}", op.error_at, why));
                return false;
            }
            if (op.error_ret >= 0) {
                *error = op_error(run, i, "error_ret", fmt::format("{} must be a negative errno", op.error_ret));
                return false;
            }
        }
        // An op that fails leaves the CPU where it was (rollback), so the tracked state only
        // changes when no failure is injected.
        if (op.fail_at < 0 && op.error_at < 0)
            online[op.cpu] = !down;
    }
    return true;
}

} // namespace

bool run_hotplug(const CpuhpTable& table_in, const HotplugRun& run, HotplugResult* out, std::string* error)
{
    if (!validate(table_in, run, error))
        return false;
    CpuhpTable table = table_in;
    int offsched_step = -1;
    if (run.offsched.enabled && run.offsched.cooperative_stop) {
        offsched_step = table.free_bp_prepare_dyn_slot();
        if (offsched_step < 0) {
            *error = table.file + ": no free CPUHP_BP_PREPARE_DYN slot for offsched's stop callback";
            return false;
        }
        CpuhpState s;
        s.step = offsched_step;
        s.name = "offsched:prepare";
        s.enum_name = fmt::format("CPUHP_BP_PREPARE_DYN+{}", offsched_step - table.anchors.bp_prepare_dyn);
        s.section = Section::Prepare;
        s.startup = kOffschedCallback;
        table.states.emplace(s.step, s);
        out->registered.push_back(s);
    }
    bind_callbacks(&table);
    setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
    Engine engine(table, run);
    engine.offsched_step_ = offsched_step;
    engine.start();
    sc_core::sc_start();
    std::vector<CpuhpState> registered = std::move(out->registered);
    *out = engine.take_result();
    out->registered = std::move(registered);
    return true;
}

} // namespace offsched::sim::hotplug
