// Simulated packets per wall-second for the SYN-flood scenario on the default 4-core model.
// Each design runs in a forked child (as simulate() does) and reports its own wall time, so the
// baseline and offsched figures come from the same binary in one run.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <time.h>

#include "backends/sim/run/child_process.h"
#include "backends/sim/run/simulate.h"
#include "services/registry.h"

using namespace offsched;
using namespace offsched::sim;

namespace {

Design make_design(bool offsched_kind, const SimParams& p)
{
    Design d;
    d.params = p;
    if (!offsched_kind) {
        d.name = "baseline";
        return d;
    }
    d.name = "offsched";
    d.kind = DesignKind::Offsched;
    d.offload_cores = {2, 3};
    d.service = find_service("firewall");
    if (!d.service) throw std::runtime_error("no service 'firewall' in the registry");
    d.service_config.resize(d.service->config_size);
    d.service->defaults(d.service_config.data());
    // The SYN proxy on port 22, no global SYN limit.
    for (u32 i = 0; i < d.service->schema.count; ++i) {
        const FieldDesc& f = d.service->schema.fields[i];
        const std::string n = f.name;
        uint8_t* at = d.service_config.data() + f.offset;
        if (n == "synproxy") *reinterpret_cast<bool*>(at) = true;
        if (n == "syn_limit") *reinterpret_cast<bool*>(at) = false;
        if (n == "synproxy_port_min" || n == "synproxy_port_max") *reinterpret_cast<uint32_t*>(at) = p.machine.ssh_port;
        if (n == "synproxy_connections") *reinterpret_cast<uint32_t*>(at) = 4096;
    }
    return d;
}

double cpu_seconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Runs one design in a child; returns its wall and CPU seconds and the result through a pipe.
// CPU time is the figure to compare on a shared machine: wall time includes other tenants.
bool run_child(const Scenario& s, size_t i, double* wall, double* cpu, DesignResult* r)
{
    ChildProcess c;
    std::string error;
    const bool started = start_child(
        [&s, i] {
            const auto t0 = std::chrono::steady_clock::now();
            const double c0 = cpu_seconds();
            DesignResult res = simulate_design_in_process(s, i);
            const double c = cpu_seconds() - c0;
            const double w = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            return fmt::format("{} {}\n{}", w, c, to_json(res).dump());
        },
        &c, &error);
    if (!started) return false;
    const ChildResult res = finish_child(c);
    if (!res.ok()) return false;
    const std::string& text = res.text;
    const size_t nl = text.find('\n');
    const size_t sp = text.find(' ');
    *wall = std::stod(text.substr(0, sp));
    *cpu = std::stod(text.substr(sp + 1, nl - sp - 1));
    *r = design_result_from_json(nlohmann::ordered_json::parse(text.substr(nl + 1)));
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app("offsched sim speed: simulated packets per wall-second");
    uint64_t rate = 14880000, duration_ms = 1000;
    std::string which = "both";
    app.add_option("--rate", rate, "flood rate in pps");
    app.add_option("--duration-ms", duration_ms, "simulated time per design");
    app.add_option("--design", which, "baseline, offsched or both")->check(CLI::IsMember({"baseline", "offsched", "both"}));
    CLI11_PARSE(app, argc, argv);

    SimParams p = default_params();
    p.flood.rate_pps = rate;
    p.run.duration_ns = duration_ms * 1000000ull;
    p.run.warmup_ns = 0;
    Scenario s;
    s.name = "bench";
    if (which != "offsched") s.designs.push_back(make_design(false, p));
    if (which != "baseline") s.designs.push_back(make_design(true, p));

    std::printf("%-10s %12s %14s %9s %9s %15s %15s\n", "design", "rate_pps", "sim_packets", "wall_s", "cpu_s",
                "packets/wall_s", "packets/cpu_s");
    for (size_t i = 0; i < s.designs.size(); ++i) {
        double wall = 0, cpu = 0;
        DesignResult r;
        if (!run_child(s, i, &wall, &cpu, &r)) {
            std::fprintf(stderr, "design %s: simulation failed\n", s.designs[i].name.c_str());
            return 1;
        }
        std::printf("%-10s %12llu %14llu %9.3f %9.3f %15.0f %15.0f\n", r.design.c_str(),
                    static_cast<unsigned long long>(rate), static_cast<unsigned long long>(r.packets_simulated), wall, cpu,
                    r.packets_simulated / wall, r.packets_simulated / cpu);
    }
    return 0;
}
