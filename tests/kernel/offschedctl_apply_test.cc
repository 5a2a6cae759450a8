// offschedctl apply without a module: the machine file (entries, CPU lists, config files beside
// it, a directory of files, every refusal with file:line:column) and the plan against a status.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "services/firewall/firewall_config.h"
#include "tools/offschedctl/apply_plan.h"
#include "tools/offschedctl/machine_file.h"
#include "temp_tree.h"

using namespace offsched;
using namespace offsched::ctl;

namespace {

using Dir = test::TempTree;

std::string refusal(const std::string& path)
{
    try {
        load_machine_file(path);
    } catch (const tools::InputError& e) {
        return e.what();
    }
    return "";
}

CpuStatus running(uint32_t cpu, const std::string& service)
{
    CpuStatus c;
    c.cpu = cpu;
    c.service = service;
    return c;
}

} // namespace

TEST_CASE("the machine file: CPU lists share one config and one random secret, config files sit beside it")
{
    Dir d;
    d.put("fw.yaml", "rules:\n  - {src: 198.18.0.0/15, action: drop}\n");
    const std::string f = d.put("offsched.yaml", "cpus:\n"
                                                  "  - cpu: [2, 3]\n"
                                                  "    service: firewall\n"
                                                  "    config: fw.yaml\n"
                                                  "    nic: 0000:00:05.0\n"
                                                  "  - cpu: 1\n"
                                                  "    service: timer\n");
    const auto want = load_machine_file(f);
    REQUIRE(want.size() == 3);
    CHECK(want[0].cpu == 1);
    CHECK(std::string(want[0].kind->name) == "timer");
    CHECK(want[1].cpu == 2);
    CHECK(want[2].cpu == 3);
    CHECK(want[1].nic == "0000:00:05.0");
    firewall::Config c2, c3;
    std::memcpy(&c2, want[1].deployed.data(), sizeof c2);
    std::memcpy(&c3, want[2].deployed.data(), sizeof c3);
    CHECK(c2.rule_count == 1);
    CHECK(c2.synproxy_secret == c3.synproxy_secret); // one draw per entry: cookies valid on either CPU
    firewall::Config loaded;
    std::memcpy(&loaded, want[1].config.data(), sizeof loaded);
    CHECK(loaded.synproxy_secret != c2.synproxy_secret); // the record keeps the default, not the draw
}

TEST_CASE("the machine file: every mistake names its file, line and column, and nothing is applied")
{
    Dir d;
    CHECK(refusal(d.put("a.yaml", "cpus:\n  - cpu: 0\n    service: timer\n")) ==
          d.root.string() + "/a.yaml:2:10: field 'cpus[0].cpu': CPU 0 is the boot CPU, which x86 Linux does not take offline");
    CHECK(refusal(d.put("b.yaml", "cpus:\n  - {cpu: 2, service: timer}\n  - {cpu: [3, 2], service: rt}\n"))
              .find("b.yaml:3:15: field 'cpu': CPU 2 is already given to timer at " + d.root.string() + "/b.yaml:2:11") !=
          std::string::npos);
    CHECK(refusal(d.put("c.yaml", "cpus:\n  - {cpu: 2, service: nosuch}\n")).find("c.yaml:2:23: field 'cpus[0].service': unknown service 'nosuch'") !=
          std::string::npos);
    CHECK(refusal(d.put("d.yaml", "cpus:\n  - {cpu: 2, service: timer, colour: red}\n")).find("d.yaml:2:30: field 'cpus[0].colour': unknown key") !=
          std::string::npos);
    d.put("bad_fw.yaml", "syn_limit_pps: 999999999999\n");
    CHECK(refusal(d.put("e.yaml", "cpus:\n  - {cpu: 2, service: firewall, config: bad_fw.yaml}\n")).find("bad_fw.yaml:1:16: field 'syn_limit_pps'") !=
          std::string::npos);
    CHECK(refusal(d.put("f.yaml", "cpus:\n  - cpu: 2\n    service: firewall\n    config: {rules: [{action: explode}]}\n"))
              .find("f.yaml:4:31: field 'cpus[0].config.rules[0].action'") != std::string::npos);
    CHECK(refusal(d.put("g.yaml", "cpu: 2\n")).find("g.yaml:1:1: field 'cpu': unknown key") != std::string::npos);
    // A directory: its *.yaml files in name order, one CPU given twice across them is refused.
    d.put("dir/10-fw.yaml", "cpus:\n  - {cpu: 2, service: firewall}\n");
    d.put("dir/20-timer.yaml", "cpus:\n  - {cpu: 3, service: timer}\n");
    d.put("dir/README", "not yaml: ignored\n");
    CHECK(load_machine_file((d.root / "dir").string()).size() == 2);
    d.put("dir/30-again.yaml", "cpus:\n  - {cpu: 2, service: rt}\n");
    CHECK(refusal((d.root / "dir").string()).find("30-again.yaml:2:11: field 'cpu': CPU 2 is already given to firewall at " + d.root.string() + "/dir/10-fw.yaml:2:11") !=
          std::string::npos);
}

TEST_CASE("the plan: attach what is missing, reload what changed, replace, detach what is gone, keep the rest")
{
    Dir d;
    const auto want = load_machine_file(d.put("m.yaml", "cpus:\n"
                                                        "  - {cpu: 1, service: firewall}\n"
                                                        "  - {cpu: 2, service: firewall, config: {default_action: drop}}\n"
                                                        "  - {cpu: 3, service: timer}\n"
                                                        "  - {cpu: 4, service: rt}\n"));
    ModuleStatus now;
    now.cpus = {running(1, "firewall"), running(2, "firewall"), running(3, "rtop"), running(5, "timer")};
    std::map<uint32_t, std::string> applied{{1, applied_record(want[0])}, {2, "firewall 00"}};
    const auto plan = plan_apply(want, now, applied);
    REQUIRE(plan.size() == 5);
    // Detaches and replacements first: they may free the NIC queue pairs an attach needs.
    CHECK((plan[0].step == Step::Detach && plan[0].cpu == 5 && plan[0].running == "timer"));
    CHECK((plan[1].step == Step::Replace && plan[1].cpu == 3 && plan[1].running == "rtop"));
    CHECK((plan[2].step == Step::Keep && plan[2].cpu == 1));   // recorded as this very config
    CHECK((plan[3].step == Step::Reload && plan[3].cpu == 2)); // recorded with another config
    CHECK((plan[4].step == Step::Attach && plan[4].cpu == 4));
    // Without a record (attached by hand), the file's config is reloaded in.
    const auto step_of = [](const std::vector<Action>& plan, uint32_t cpu) {
        for (const Action& a : plan)
            if (a.cpu == cpu) return a.step;
        FAIL("no action for that CPU");
        return Step::Keep;
    };
    CHECK(step_of(plan_apply(want, now, {}), 1) == Step::Reload);
    // The file names another NIC than the one CPU 1 polls: a fresh attach.
    auto moved = want;
    moved[0].nic = "0000:00:06.0";
    now.cpus[0].nic = "0000:00:05.0";
    CHECK(step_of(plan_apply(moved, now, applied), 1) == Step::Replace);
}
