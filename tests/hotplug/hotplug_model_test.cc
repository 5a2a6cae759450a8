// Unit tests of the hotplug model: the real SystemC kernel runs the cpuhp state machine over the
// Linux 6.1 state table from data/cpuhp/. Expectations are derived from the table (which states
// have which callbacks), not hard-coded sequences.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "backends/sim/hotplug/explain.h"

using namespace offsched::sim::hotplug;

namespace {

const CpuhpTable& table()
{
    static CpuhpTable t = [] {
        CpuhpTable x;
        std::string err;
        if (!load_cpuhp_table(cpuhp_table_path("linux-6.1"), &x, &err))
            FAIL(err);
        return x;
    }();
    return t;
}

HotplugResult run(HotplugRun r)
{
    HotplugResult out;
    std::string err;
    REQUIRE(run_hotplug(table(), r, &out, &err));
    REQUIRE(err.empty());
    return out;
}

HotplugOp off(int cpu, int fail = -1) { HotplugOp o; o.kind = HotplugOp::Kind::Offline; o.cpu = cpu; o.fail_at = fail; return o; }
HotplugOp on(int cpu, int fail = -1) { HotplugOp o; o.kind = HotplugOp::Kind::Online; o.cpu = cpu; o.fail_at = fail; return o; }

bool is_enter(const TraceEvent& e) { return e.kind == EventKind::Enter || e.kind == EventKind::MultiEnter; }

// Steps entered during op `op` (each multi-instance state once), in order, all events.
std::vector<int> entered(const HotplugResult& r, int op, bool traced_only = false)
{
    std::vector<int> v;
    for (const auto& e : r.events)
        if (e.op == op && is_enter(e) && (!traced_only || e.traced) && (v.empty() || v.back() != e.step ||
                                                                        e.kind == EventKind::Enter))
            v.push_back(e.step);
    return v;
}

// States the table says a full offline runs teardowns for, high to low (lo, hi] exclusive of lo.
std::vector<int> with_callback(bool bringup, int lo, int hi)
{
    std::vector<int> v;
    for (const auto& [step, s] : table().states)
        if (step > lo && step <= hi && !(bringup ? s.startup : s.teardown).empty() && s.instances != 0)
            v.push_back(step);
    if (!bringup)
        std::reverse(v.begin(), v.end());
    return v;
}

} // namespace

TEST_CASE("the 6.1 table matches the states the booted kernel listed in sysfs")
{
    std::ifstream f(std::string(OFFSCHED_SOURCE_DIR) + "/data/cpuhp/captured/linux-6.1-qemu-states.txt");
    REQUIRE(f);
    std::string line;
    std::vector<std::pair<int, std::string>> sysfs;
    std::regex re(R"(^\s*(\d+): (.+)$)");
    while (std::getline(f, line)) {
        std::smatch m;
        if (std::regex_match(line, m, re))
            sysfs.emplace_back(std::stoi(m[1]), m[2]);
    }
    std::vector<std::pair<int, std::string>> model;
    for (const auto& [step, s] : table().states)
        model.emplace_back(step, s.name);
    REQUIRE(sysfs.size() > 50);
    CHECK(model == sysfs);
}

TEST_CASE("offline runs every teardown from ONLINE down to OFFLINE in order, each section on its CPU")
{
    HotplugRun r;
    r.ncpus = 4;
    r.ops = {off(2)};
    const HotplugResult res = run(r);
    REQUIRE(res.ops.size() == 1);
    CHECK(res.ops[0].ret == 0);
    CHECK(res.ops[0].final_state == table().anchors.offline);

    // Expected: cpuhp_kick_ap_work at ONLINE, then every state with a teardown from AP_ACTIVE down.
    std::vector<int> expect{table().anchors.online};
    for (int s : with_callback(false, table().anchors.offline, table().anchors.ap_active))
        expect.push_back(s);
    CHECK(entered(res, 0) == expect);

    const auto& a = table().anchors;
    int checked = 0;
    for (const auto& e : res.events) {
        if (!is_enter(e) || e.step == a.online)
            continue;
        const Section sec = table().find(e.step)->section;
        INFO("step " << e.step << " on cpu " << e.on_cpu << " task " << e.task);
        if (sec == Section::Online) {
            CHECK(e.on_cpu == 2);
            CHECK(e.task == "cpuhp/2");
            CHECK(e.traced);
        } else if (sec == Section::Starting) {
            CHECK(e.on_cpu == 2);
            CHECK(e.task == "migration/2"); // inside stop_machine, interrupts off
            CHECK_FALSE(e.traced);          // the CPU already left cpu_online_mask
        } else {
            CHECK(e.on_cpu != 2);
            CHECK(e.task.rfind("kworker/", 0) == 0);
            CHECK(e.traced);
        }
        ++checked;
    }
    CHECK(checked > 40);
}

TEST_CASE("online runs PREPARE on the control CPU, STARTING on the AP untraced, ONLINE in cpuhp/N")
{
    HotplugRun r;
    r.ncpus = 2;
    r.ops = {off(1), on(1)};
    const HotplugResult res = run(r);
    CHECK(res.ops[1].ret == 0);
    CHECK(res.ops[1].final_state == table().anchors.online);
    std::vector<int> expect = with_callback(true, table().anchors.offline, table().anchors.ap_active);
    CHECK(entered(res, 1) == expect);
    for (const auto& e : res.events) {
        if (e.op != 1 || !is_enter(e))
            continue;
        const Section sec = table().find(e.step)->section;
        INFO("step " << e.step);
        CHECK(e.on_cpu == (sec == Section::Prepare ? 0 : 1));
        CHECK(e.traced == (sec != Section::Starting));
        if (sec == Section::Starting)
            CHECK(e.task == "swapper/1");
    }
}

TEST_CASE("offline moves tasks, timers, IRQs, softirq and tasklet work away, online brings per-CPU parts back")
{
    HotplugRun r;
    r.ncpus = 4;
    r.ops = {off(1)};
    const HotplugResult down = run(r);
    const PerCpuState& m = down.machine;
    CHECK_FALSE(m.online[1]);
    CHECK_FALSE(m.active[1]);
    const PerCpuData& d = m.cpu[1];
    CHECK(d.tasks.empty());
    CHECK(d.percpu_kthreads.empty());
    CHECK(d.timers.empty());
    CHECK(d.hrtimers.empty());
    CHECK(d.irqs.empty());
    CHECK(d.tasklets.empty());
    CHECK(d.backlog_packets == 0);
    CHECK(d.rcu_callbacks == 0);
    CHECK(d.parked.size() == 2); // ksoftirqd/1 and kworker/1:0 wait for the CPU
    // Nothing was lost: what left cpu 1 is on other CPUs.
    const PerCpuState fresh = make_default_state(4);
    int timers = 0, hrtimers = 0, tasklets = 0, backlog = 0, rcu = 0, tasks = 0;
    for (const auto& c : m.cpu) {
        timers += int(c.timers.size());
        hrtimers += int(c.hrtimers.size());
        tasklets += int(c.tasklets.size());
        backlog += c.backlog_packets;
        rcu += c.rcu_callbacks;
        tasks += int(c.tasks.size());
    }
    CHECK(timers == 4);
    CHECK(hrtimers == 4);
    CHECK(tasklets == 4);
    CHECK(backlog == 4 * fresh.cpu[0].backlog_packets);
    CHECK(rcu == 4 * fresh.cpu[0].rcu_callbacks);
    CHECK(tasks == 4);
    // The unmanaged IRQ 4 moved to an online CPU; the managed queue IRQ 25 is shut down.
    CHECK(std::find(m.cpu[0].irqs.begin(), m.cpu[0].irqs.end(), 4) != m.cpu[0].irqs.end());

    r.ops = {off(1), on(1)};
    const HotplugResult up = run(r);
    CHECK(up.machine.online[1]);
    CHECK(up.machine.active[1]);
    CHECK(up.machine.cpu[1].irqs == std::vector<int>{25});
    CHECK(up.machine.cpu[1].percpu_kthreads.size() == 2);
    CHECK(up.machine.cpu[1].parked.empty());
}

TEST_CASE("a failing ONLINE teardown is rolled back: startups re-run in reverse back to the start")
{
    const int fail = 197; // workqueue:online
    REQUIRE(table().find(fail));
    HotplugRun r;
    r.ncpus = 2;
    r.ops = {off(1, fail)};
    const HotplugResult res = run(r);
    CHECK(res.ops[0].ret == -11);
    CHECK(res.ops[0].final_state == table().anchors.online);
    CHECK(res.machine.online[1]);
    CHECK(res.machine.active[1]);

    const auto steps = entered(res, 0);
    // Down: kick_ap_work, then teardowns above the failing state; then up: every startup above it.
    std::vector<int> expect{table().anchors.online};
    for (int s : with_callback(false, fail, table().anchors.ap_active))
        expect.push_back(s);
    for (int s : with_callback(true, fail, table().anchors.ap_active))
        expect.push_back(s);
    CHECK(steps == expect);
    // The failing step itself never entered (injected failure returns before the tracepoint).
    CHECK(std::find(steps.begin(), steps.end(), fail) == steps.end());
}

TEST_CASE("a callback error during online unwinds the AP states and then the whole PREPARE section")
{
    HotplugRun r;
    r.ncpus = 2;
    HotplugOp up = on(1);
    up.error_at = 200; // base/cacheinfo:online refuses
    up.error_ret = -16;
    r.ops = {off(1), up};
    const HotplugResult res = run(r);
    CHECK(res.ops[1].ret == -16);
    CHECK(res.ops[1].final_state == table().anchors.offline);
    CHECK_FALSE(res.machine.online[1]);
    // The refusing callback ran and is traced with its error.
    bool saw_exit = false;
    for (const auto& e : res.events)
        if (e.op == 1 && e.kind == EventKind::Exit && e.step == 200 && e.ret == -16)
            saw_exit = true;
    CHECK(saw_exit);
    // After the error: teardowns from 199 down, through takedown_cpu, to OFFLINE, strictly decreasing.
    const auto steps = entered(res, 1);
    auto it = std::find(steps.begin(), steps.end(), 200);
    REQUIRE(it != steps.end());
    std::vector<int> undo(it + 1, steps.end());
    CHECK(undo == with_callback(false, table().anchors.offline, 199));
}

TEST_CASE("an injected failure in a PREPARE state during online undoes only what was prepared")
{
    HotplugRun r;
    r.ncpus = 2;
    r.ops = {off(1), on(1, 50)}; // RCU/tree:prepare
    const HotplugResult res = run(r);
    CHECK(res.ops[1].ret == -11);
    CHECK(res.ops[1].final_state == 0);
    const auto steps = entered(res, 1);
    std::vector<int> expect = with_callback(true, 0, 49);
    for (int s : with_callback(false, 0, 49))
        expect.push_back(s);
    CHECK(steps == expect);
}

TEST_CASE("offsched: play_dead runs the service, a BP_PREPARE_DYN callback stops it before INIT/SIPI")
{
    HotplugRun r;
    r.ncpus = 4;
    r.offsched.enabled = true;
    r.offsched.service = "firewall";
    r.offsched.cpu = 2;
    r.ops = {off(2), on(2)};
    const HotplugResult res = run(r);
    const ServiceFacts& f = res.service;
    CHECK(res.ops[0].ret == 0);
    CHECK(res.ops[1].ret == 0);
    CHECK(f.runs == 1);
    CHECK(f.cpu == 2);
    CHECK(f.polls > 0);
    CHECK(f.stopped_cooperatively);
    CHECK_FALSE(f.killed_by_init);
    CHECK(f.stop_on_cpu == 0);                       // the control CPU ran the callback
    CHECK(f.stop_step >= table().anchors.bp_prepare_dyn);
    CHECK(f.stop_step <= table().anchors.bp_prepare_dyn_end);
    CHECK(f.stop_step < table().anchors.bringup_cpu); // ... so before cpu:bringup
    CHECK(f.stop_ns <= f.init_sipi_ns);
    // The service started only after the CPU reported its death (cpu_wait_death would time out).
    bool death_before_service = false, seen_death = false;
    for (const auto& e : res.events) {
        if (e.kind != EventKind::Note || e.on_cpu != 2)
            continue;
        if (e.text.find("cpu_report_death") != std::string::npos)
            seen_death = true;
        if (e.text.find("runs alone on cpu 2") != std::string::npos)
            death_before_service = seen_death;
    }
    CHECK(death_before_service);
}

TEST_CASE("offsched: after a cooperative stop the CPU is no longer claimed, the next offline halts as stock")
{
    HotplugRun r;
    r.ncpus = 4;
    r.offsched.enabled = true;
    r.offsched.service = "firewall";
    r.offsched.cpu = 2;
    r.ops = {off(2), on(2), off(2), on(2)};
    const HotplugResult res = run(r);
    CHECK(res.service.runs == 1);
    int native_halts_in_op2 = 0;
    for (const auto& e : res.events)
        if (e.op == 2 && e.kind == EventKind::Note && e.text.find("native_play_dead: cpu 2 halts") != std::string::npos)
            ++native_halts_in_op2;
    CHECK(native_halts_in_op2 == 1);
    for (const auto& o : res.ops)
        CHECK(o.ret == 0);
}

TEST_CASE("offsched without the cooperative stop: INIT/SIPI kills the service mid-loop")
{
    HotplugRun r;
    r.ncpus = 4;
    r.offsched.enabled = true;
    r.offsched.service = "firewall";
    r.offsched.cpu = 2;
    r.offsched.cooperative_stop = false;
    r.ops = {off(2), on(2)};
    const HotplugResult res = run(r);
    CHECK(res.service.killed_by_init);
    CHECK_FALSE(res.service.stopped_cooperatively);
    CHECK(res.ops[1].ret == 0);
}

TEST_CASE("runs are deterministic and re-runnable in one process")
{
    HotplugRun r;
    r.ncpus = 3;
    r.offsched.enabled = true;
    r.offsched.service = "firewall";
    r.offsched.cpu = 1;
    r.ops = {off(1), on(1), off(2, 199)};
    const HotplugResult a = run(r), b = run(r);
    REQUIRE(a.events.size() == b.events.size());
    for (size_t i = 0; i < a.events.size(); ++i) {
        CHECK(format_event_line(a.events[i]) == format_event_line(b.events[i]));
        CHECK(a.events[i].t_ns == b.events[i].t_ns);
    }
}

TEST_CASE("invalid operations are refused like the kernel's sysfs checks, naming the op and field")
{
    std::string err;
    HotplugResult out;
    HotplugRun r;
    r.ncpus = 2;
    r.ops = {off(1, 94)}; // sched:starting: STARTING states cannot fail
    CHECK_FALSE(run_hotplug(table(), r, &out, &err));
    CHECK(err.find("hotplug.ops[0].fail_at: step 94") != std::string::npos);
    r.ops = {off(0)};
    CHECK_FALSE(run_hotplug(table(), r, &out, &err));
    CHECK(err.find("cpu: 0") != std::string::npos);
    r.ops = {on(1)};
    CHECK_FALSE(run_hotplug(table(), r, &out, &err));
    CHECK(err.find("already online") != std::string::npos);
    r.ops = {off(1, 50)}; // DEAD states cannot fail on the way down
    CHECK_FALSE(run_hotplug(table(), r, &out, &err));
    CHECK(err.find("fail_at") != std::string::npos);
    r.ops = {off(1, 198)}; // random:online has no teardown: an offline never reaches it
    CHECK_FALSE(run_hotplug(table(), r, &out, &err));
    CHECK(err.find("fail_at: step 198 has no teardown callback") != std::string::npos);
}

TEST_CASE("bad scenario and table files get file:line:column: field errors, as every input does")
{
    const std::string dir = std::string(OFFSCHED_SOURCE_DIR) + "/tests/hotplug/bad/";
    struct Case { const char* file; const char* expect; } cases[] = {
        {"unknown-op-field.yaml", "unknown-op-field.yaml:7:7: field 'hotplug.ops[1].ofline'"},
        {"bad-cpu.yaml", "bad-cpu.yaml:6:7: field 'hotplug.ops[0].cpu': 9 is not a hot-pluggable CPU"},
        {"offsched-no-service.yaml", "offsched-no-service.yaml:5:13: field 'hotplug.offsched.service': name the service the CPU runs"},
        {"no-table.yaml", "no-table.yaml:3:11: field 'hotplug.kernel'"},
        {"bad-table.yaml", "bad-table-states.yaml:19:48: field 'states[step 153].section'"},
        {"", "is a directory"}, // the shared loader's refusals: a directory where a file belongs
    };
    for (const auto& c : cases) {
        std::ostringstream out;
        std::string err;
        INFO(c.file);
        CHECK_FALSE(explain_hotplug_file(dir + c.file, out, &err));
        CHECK(err.find(c.expect) != std::string::npos);
        CHECK(out.str().empty());
        INFO(err);
    }
}

TEST_CASE("explain prints kernel-format events with why lines for the shipped scenario")
{
    std::ostringstream out;
    std::string err;
    REQUIRE(explain_hotplug_file(std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/hotplug.yaml", out, &err));
    const std::string s = out.str();
    CHECK(s.find("cpuhp_enter: cpu: 0001 target: 153 step: 236 (cpuhp_kick_ap_work)") != std::string::npos);
    CHECK(s.find("cpuhp_enter: cpu: 0001 target: 153 step: 235 (sched_cpu_deactivate)") != std::string::npos);
    CHECK(s.find("cpuhp_exit:  cpu: 0001  state: 234 step: 235 ret: 0") != std::string::npos);
    CHECK(s.find("cpuhp_multi_enter: cpu: 0001 target:   0 step:  23 (bio_cpu_dead)") != std::string::npos);
    CHECK(s.find("why: [235 sched:active | ONLINE]") != std::string::npos);
    CHECK(s.find("stopped cooperatively") != std::string::npos);
}
