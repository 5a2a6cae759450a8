// offschedctl: take a CPU away from Linux and run a service on it (attach), give it a new config
// while it runs (reload), give it back (detach), bring the machine to its file (apply), and show
// what the module reports (status, stats).
//   offschedctl attach --cpu 1[,2...] --service firewall [--config fw.yaml | --raw-config fw.bin] [--nic 0000:00:05.0]
//   offschedctl status [--json]
//   offschedctl stats [--cpu N] [--watch] [--interval-ms 1000] [--json]
//   offschedctl reload --cpu 1[,2...] [--config fw.yaml | --raw-config fw.bin]
//   offschedctl apply [--check] [--file /etc/offsched/offsched.yaml | DIR]
//   offschedctl detach --cpu 1 | --all
//   offschedctl compile --service firewall [--config fw.yaml] --out fw.bin
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "backends/kernel/uapi/offsched.h"
#include "tools/lib/atomic_file.h"
#include "lib/input/input_error.h"
#include "tools/lib/cli_number.h"
#include "lib/input/input_file.h"
#include "tools/lib/version.h"
#include "tools/lib/prefix_set_files.h"
#include "tools/lib/service_config.h"
#include "tools/offschedctl/apply_plan.h"
#include "tools/offschedctl/apply_run.h"
#include "tools/offschedctl/machine_file.h"
#include "tools/offschedctl/module_client.h"
#include "tools/offschedctl/stats_view.h"

namespace {

using namespace offsched;

enum Exit : int { kOk = 0, kFailed = 1, kUsage = 64, kBadInput = 65, kNoModule = 69, kCantCreate = 73 };

int fail(const std::string& msg, int code = kFailed)
{
    fmt::print(stderr, "offschedctl: {}\n", msg);
    return code;
}

// A binary config sent as-is: for configs built elsewhere and for testing that the module
// validates on its own (it never trusts user space).
bool read_raw_config(const std::string& path, std::vector<uint8_t>* out, std::string* error)
{
    try {
        // A config and its prefix sets: up to the module's 256 MiB of sets, and a config beside them.
        const std::string bytes = tools::read_input_file(path, tools::InputKind::Binary, (256u << 20) + (1u << 20));
        out->assign(bytes.begin(), bytes.end());
        return true;
    } catch (const tools::InputError& e) {
        *error = fmt::format("raw config {}", e.what());
        return false;
    }
}

// The config for a service: a YAML file (secrets randomised unless set) or raw bytes.
int load_config(const std::string& service, const std::string& config_file, const std::string& raw_file,
                std::vector<uint8_t>* config)
{
    if (!raw_file.empty()) {
        std::string error;
        return read_raw_config(raw_file, config, &error) ? kOk : fail(error, kBadInput);
    }
    try {
        const ServiceKind& kind = tools::service_by_name(service, {"<command line>", 0, 0}, "--service");
        *config = tools::deploy_service_config(kind, config_file);
        for (const std::string& line : tools::describe_prefix_sets(kind.config_size, *config)) fmt::print("{}\n", line);
        return kOk;
    } catch (const tools::InputError& e) {
        return fail(e.what(), kBadInput);
    }
}

int cmd_compile(const std::string& service, const std::string& config_file, const std::string& out)
{
    std::vector<uint8_t> config;
    if (int rc = load_config(service, config_file, "", &config)) return rc;
    std::string error;
    if (!tools::write_file_atomically(out, std::string(config.begin(), config.end()), &error)) return fail(error, kCantCreate);
    fmt::print("{}: {} bytes\n", out, config.size());
    return kOk;
}

// Says so when a CPU list names one twice.
bool has_duplicate(const std::vector<uint32_t>& cpus)
{
    for (size_t i = 0; i < cpus.size(); i++)
        for (size_t j = 0; j < i; j++)
            if (cpus[i] == cpus[j]) {
                fail(fmt::format("--cpu names CPU {} twice", cpus[i]), kUsage);
                return true;
            }
    return false;
}

// Several CPUs run one service: the same config bytes on each (one random secret, so a SYN
// proxy's cookies validate on any of them), each with its own queue pair of the NIC. All or
// nothing: when one attach fails, the CPUs this command attached are detached again.
int cmd_attach(const std::vector<uint32_t>& cpus, const std::string& service, const std::string& config_file,
               const std::string& raw_file, const std::string& nic)
{
    if (has_duplicate(cpus)) return kUsage;
    std::vector<uint8_t> config;
    if (int rc = load_config(service, config_file, raw_file, &config)) return rc;
    if (std::string why = ctl::module_missing_reason(); !why.empty()) return fail(why, kNoModule);
    for (size_t i = 0; i < cpus.size(); i++) {
        const ctl::CommandResult r = ctl::attach(cpus[i], service, nic, config);
        if (r.ok) continue;
        std::string undone;
        for (size_t j = i; j-- > 0;) {
            const ctl::CommandResult d = ctl::detach(cpus[j]);
            undone += d.ok ? fmt::format(", cpu{} detached again", cpus[j])
                           : fmt::format(", cpu{} could not be detached again: {}", cpus[j], d.error);
        }
        return fail(cpus.size() > 1 ? fmt::format("cpu{}: {}{}", cpus[i], r.error, undone) : r.error);
    }
    const ctl::ModuleStatus st = ctl::read_status(OFFSCHED_SYSFS);
    for (uint32_t cpu : cpus)
        for (const auto& c : st.cpus)
            if (c.cpu == cpu)
                fmt::print("cpu{}: {} running ({})\n", cpu, c.service, c.nic_summary());
    return kOk;
}

// A new config for the service running on each CPU, which keeps running (hitless). The module
// checks the config whole against the running one; a refusal leaves that CPU's config as it was
// and stops the command there (the CPUs named before it have the new config: it says which).
int cmd_reload(const std::vector<uint32_t>& cpus, const std::string& config_file, const std::string& raw_file)
{
    if (has_duplicate(cpus)) return kUsage;
    if (std::string why = ctl::module_missing_reason(); !why.empty()) return fail(why, kNoModule);
    const ctl::ModuleStatus st = ctl::read_status(OFFSCHED_SYSFS);
    std::string service;
    for (uint32_t cpu : cpus) {
        auto it = std::find_if(st.cpus.begin(), st.cpus.end(), [&](const auto& c) { return c.cpu == cpu; });
        if (it == st.cpus.end()) return fail(fmt::format("CPU {} is not attached to offsched", cpu));
        if (!service.empty() && it->service != service)
            return fail(fmt::format("CPU {} runs {}, CPU {} runs {}: reload one service at a time", cpus[0], service,
                                    cpu, it->service),
                        kUsage);
        service = it->service;
    }
    std::vector<uint8_t> config;
    if (int rc = load_config(service, config_file, raw_file, &config)) return rc;
    for (size_t i = 0; i < cpus.size(); i++) {
        const ctl::CommandResult r = ctl::reload(cpus[i], service, config);
        if (!r.ok) {
            std::string done;
            for (size_t j = 0; j < i; j++) done += fmt::format("{}cpu{}", done.empty() ? "" : ", ", cpus[j]);
            return fail(fmt::format("cpu{}: {}{}", cpus[i], r.error,
                                    done.empty() ? "" : fmt::format(" ({} took the new config)", done)));
        }
        fmt::print("cpu{}: {} reloaded, still running\n", cpus[i], service);
    }
    return kOk;
}

int cmd_detach(uint32_t cpu)
{
    if (std::string why = ctl::module_missing_reason(); !why.empty()) return fail(why, kNoModule);
    const ctl::CommandResult r = ctl::detach(cpu);
    if (!r.ok) return fail(r.error);
    fmt::print("cpu{}: detached, back online\n", cpu);
    return kOk;
}

// Every attached CPU back to Linux (the boot service's stop); each is tried.
int cmd_detach_all()
{
    if (std::string why = ctl::module_missing_reason(); !why.empty()) return fail(why, kNoModule);
    int rc = kOk;
    for (const auto& c : ctl::read_status(OFFSCHED_SYSFS).cpus)
        if (int r = cmd_detach(c.cpu)) rc = r;
    return rc;
}

// Brings the machine to its file: the whole file is checked first (nothing is done when any of
// it is wrong), then each CPU is attached, reloaded, replaced, detached or kept.
int cmd_apply(const std::string& path, bool check_only, const std::string& state_dir)
{
    std::vector<ctl::WantedCpu> want;
    try {
        want = ctl::load_machine_file(path);
    } catch (const tools::InputError& e) {
        return fail(fmt::format("{}; nothing applied", e.what()), kBadInput);
    }
    if (check_only) {
        std::string cpus;
        for (const auto& w : want) cpus += fmt::format("{}cpu{} {}", cpus.empty() ? "" : ", ", w.cpu, w.kind->name);
        fmt::print("{}: ok ({})\n", path, want.empty() ? "no CPU" : cpus);
        for (const auto& w : want)
            for (const std::string& line : tools::describe_prefix_sets(w.kind->config_size, w.config))
                fmt::print("cpu{}: {}\n", w.cpu, line);
        return kOk;
    }
    if (std::string why = ctl::module_missing_reason(); !why.empty()) return fail(why, kNoModule);
    const auto plan = ctl::plan_apply(want, ctl::read_status(OFFSCHED_SYSFS), ctl::read_applied(state_dir));
    const int failures = ctl::run_apply(plan, state_dir);
    if (failures) return fail(fmt::format("{} of {} CPUs not as {} asks", failures, plan.size(), path));
    return kOk;
}

ctl::ModuleStatus only_cpu(ctl::ModuleStatus st, int cpu)
{
    if (cpu >= 0) std::erase_if(st.cpus, [&](const auto& c) { return c.cpu != static_cast<uint32_t>(cpu); });
    return st;
}

int cmd_stats(int cpu, bool watch, uint64_t interval_ms, bool json)
{
    if (std::string why = ctl::module_missing_reason(); !why.empty()) return fail(why, kNoModule);
    ctl::ModuleStatus prev = only_cpu(ctl::read_status(OFFSCHED_SYSFS), cpu);
    if (cpu >= 0 && prev.cpus.empty()) return fail(fmt::format("CPU {} is not attached to offsched", cpu));
    if (!watch) {
        fmt::print("{}", json ? ctl::stats_json(prev).dump(2) + "\n" : ctl::stats_table(prev, nullptr, 0));
        return kOk;
    }
    for (;;) { // until interrupted, like watch(1)
        std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
        ctl::ModuleStatus now = only_cpu(ctl::read_status(OFFSCHED_SYSFS), cpu);
        if (json) fmt::print("{}\n", ctl::stats_json(now).dump());
        else fmt::print("{}\n", ctl::stats_table(now, &prev, interval_ms));
        std::fflush(stdout);
        prev = std::move(now);
    }
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"offschedctl: run services on CPUs taken away from Linux (offsched kernel module)"};
    app.set_version_flag("--version", tools::version_line("offschedctl"));
    app.require_subcommand(1);

    std::vector<uint32_t> cpus;
    std::string service, config, raw_config, nic;
    CLI::App* attach = app.add_subcommand("attach", "take CPUs offline and run a service on each");
    attach->add_option("--cpu", cpus, "CPU to take (not 0); a list 1,2 runs the service on each, one queue pair of the NIC each")
        ->required()
        ->delimiter(',')
        ->check(tools::whole_number<uint32_t>());
    attach->add_option("--service", service, "service name (see `status`)")->required();
    CLI::Option* yaml_opt = attach->add_option("--config", config, "YAML config of the service (default: its defaults)");
    attach->add_option("--raw-config", raw_config, "binary config sent unchecked (the module validates it)")
        ->excludes(yaml_opt);
    attach->add_option("--nic", nic, "PCI name of an offsched-bound NIC (default: first free)");

    std::vector<uint32_t> reload_cpus;
    std::string reload_config, reload_raw;
    CLI::App* reload = app.add_subcommand("reload", "give running services a new config without stopping them");
    reload->add_option("--cpu", reload_cpus, "attached CPU, or a list 1,2 running the same service")
        ->required()
        ->delimiter(',')
        ->check(tools::whole_number<uint32_t>());
    CLI::Option* reload_yaml = reload->add_option("--config", reload_config, "YAML config (default: the service's defaults)");
    reload->add_option("--raw-config", reload_raw, "binary config sent unchecked (the module validates it)")
        ->excludes(reload_yaml);

    uint32_t detach_cpu = 0;
    bool detach_all = false;
    CLI::App* detach = app.add_subcommand("detach", "stop the service and bring the CPU back online");
    CLI::Option* detach_one = detach->add_option("--cpu", detach_cpu, "attached CPU")->check(tools::whole_number<uint32_t>());
    detach->add_flag("--all", detach_all, "every attached CPU")->excludes(detach_one);
    detach->require_option(1);

    std::string apply_file = ctl::kDefaultMachineFile, state_dir = ctl::kDefaultStateDir;
    bool apply_check = false;
    CLI::App* apply = app.add_subcommand("apply", "bring the machine to its offsched file: attach, reload, detach");
    apply->add_option("--file", apply_file, "the file, or a directory of *.yaml files")->capture_default_str();
    apply->add_flag("--check", apply_check, "only check the file (file:line:column on error), change nothing");
    apply->add_option("--state-dir", state_dir, "where applies record each CPU's config")->capture_default_str();

    std::string compile_service, compile_config, compile_out;
    CLI::App* compile = app.add_subcommand(
        "compile", "write the binary config attach would send (the config, then its prefix sets): for --raw-config, "
                   "or to check a config and its prefix files without the module");
    compile->add_option("--service", compile_service, "service name")->required();
    compile->add_option("--config", compile_config, "YAML config (default: the service's defaults)");
    compile->add_option("--out", compile_out, "the file to write (replaced whole, or left as it was)")->required();

    bool status_json = false;
    CLI::App* status = app.add_subcommand("status", "services, owned NICs and attached CPUs");
    status->add_flag("--json", status_json, "machine-readable output");

    int stats_cpu = -1;
    bool watch = false, stats_json = false;
    uint64_t interval_ms = 1000;
    CLI::App* stats = app.add_subcommand("stats", "service and backend counters of attached CPUs");
    stats->add_option("--cpu", stats_cpu, "only this CPU")->check(tools::whole_number<uint32_t>(0, 0x7fffffff));
    stats->add_flag("--watch", watch, "repeat every interval with per-second rates");
    stats->add_option("--interval-ms", interval_ms, "watch interval")->check(tools::whole_number<uint32_t>(10, 3600000));
    stats->add_flag("--json", stats_json, "machine-readable output");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? kOk : kUsage; // --help/--version: 0; a bad command line: EX_USAGE
    }
    if (*attach) return cmd_attach(cpus, service, config, raw_config, nic);
    if (*detach) return detach_all ? cmd_detach_all() : cmd_detach(detach_cpu);
    if (*apply) return cmd_apply(apply_file, apply_check, state_dir);
    if (*reload) return cmd_reload(reload_cpus, reload_config, reload_raw);
    if (*compile) return cmd_compile(compile_service, compile_config, compile_out);
    if (*stats) return cmd_stats(stats_cpu, watch, interval_ms, stats_json);
    if (std::string why = ctl::module_missing_reason(); !why.empty()) return fail(why, kNoModule);
    const ctl::ModuleStatus st = ctl::read_status(OFFSCHED_SYSFS);
    fmt::print("{}", status_json ? ctl::status_json(st).dump(2) + "\n" : ctl::status_table(st));
    return kOk;
}
