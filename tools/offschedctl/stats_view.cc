#include "tools/offschedctl/stats_view.h"

#include <fmt/format.h>

namespace offsched::ctl {

namespace {

const CpuStatus* find_cpu(const ModuleStatus* st, uint32_t cpu)
{
    if (!st) return nullptr;
    for (const auto& c : st->cpus)
        if (c.cpu == cpu) return &c;
    return nullptr;
}

const uint64_t* find_value(const Counters& cs, const std::string& name)
{
    for (const auto& [n, v] : cs)
        if (n == name) return &v;
    return nullptr;
}

uint64_t find_counter(const Counters& cs, const std::string& name)
{
    const uint64_t* v = find_value(cs, name);
    return v ? *v : 0;
}

// A gap this long means the CPU did not run the loop: a hypervisor descheduled the vCPU, or SMIs.
constexpr uint64_t kStarvedGapNs = 1'000'000;

std::string duration(uint64_t ns)
{
    if (ns >= 10'000'000) return fmt::format("{} ms", ns / 1'000'000);
    if (ns >= 10'000) return fmt::format("{} us", ns / 1'000);
    return fmt::format("{} ns", ns);
}

// Values in ns, ms, ppm or kHz are levels (maxima, percentiles, moments such as a rule's last
// hit, configured shares, clock rates), not event counts: a per-second rate of them means nothing.
bool is_level(const std::string& name)
{
    return name.ends_with("_ns") || name.ends_with("_ms") || name.ends_with("_ppm") || name.ends_with("_khz") ||
           name.ends_with("_khz_min");
}

void add_rows(std::string& out, const char* group, const Counters& now, const Counters* prev, uint64_t ms)
{
    for (const auto& [name, value] : now) {
        out += fmt::format("  {:<8} {:<28} {:>16}", group, name, value);
        if (prev && ms && !is_level(name)) {
            const uint64_t before = find_counter(*prev, name);
            out += fmt::format(" {:>14}/s", value >= before ? (value - before) * 1000 / ms : 0);
        }
        out += '\n';
    }
}

nlohmann::ordered_json counters_json(const Counters& cs)
{
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const auto& [n, v] : cs) j[n] = v;
    return j;
}

} // namespace

std::string loop_health(const CpuStatus& c)
{
    const uint64_t tsc_mhz = find_counter(c.backend, "clock_khz") / 1000;
    const uint64_t* eff = find_value(c.backend, "effective_khz");
    std::string out;
    if (!eff) {
        out = fmt::format("clock {} MHz (TSC); its real rate is not measurable here (no APERF/MPERF, as in most VMs)",
                          tsc_mhz);
    } else if (*eff == 0) {
        out = fmt::format("clock {} MHz (TSC); real rate: first 100 ms window still open", tsc_mhz);
    } else {
        const uint64_t mhz = *eff / 1000, pct = tsc_mhz ? mhz * 100 / tsc_mhz : 0;
        out = fmt::format("clock {} of {} MHz ({} %, lowest {})", mhz, tsc_mhz, pct,
                          find_counter(c.backend, "effective_khz_min") / 1000);
        if (pct < 90) out += ": throttled or in a low P-state";
        else if (pct > 110) out += ": turbo";
    }
    if (const uint64_t* gap = find_value(c.backend, "loop_gap_max_ns")) {
        out += "; longest poll gap " + duration(*gap);
        if (*gap >= kStarvedGapNs) out += ": starved (a hypervisor or SMIs took the CPU)";
    }
    return out;
}

std::string status_table(const ModuleStatus& st)
{
    std::string out = "services:\n";
    for (const auto& s : st.services) out += "  " + s + "\n";
    out += "nics (pci netdev mac state model queues claimed/all):\n";
    if (st.nics.empty()) out += "  none bound (echo offsched > /sys/bus/pci/devices/<dev>/driver_override)\n";
    for (const auto& n : st.nics) out += "  " + n + "\n";
    out += fmt::format("{:<5} {:<12} {:<10} {:<14} {:<5} {:<8}\n", "CPU", "SERVICE", "STATE", "NIC", "QUEUE",
                       "NETDEV");
    for (const auto& c : st.cpus)
        out += fmt::format("{:<5} {:<12} {:<10} {:<14} {:<5} {:<8}\n", c.cpu, c.service, c.state, c.nic, c.queue,
                           c.netdev);
    if (st.cpus.empty()) out += "(no CPU attached)\n";
    for (const auto& c : st.cpus) out += fmt::format("cpu{} loop: {}\n", c.cpu, loop_health(c));
    return out;
}

nlohmann::ordered_json status_json(const ModuleStatus& st)
{
    nlohmann::ordered_json j;
    j["services"] = st.services;
    j["nics"] = st.nics;
    j["cpus"] = nlohmann::ordered_json::array();
    for (const auto& c : st.cpus)
        j["cpus"].push_back({{"cpu", c.cpu}, {"service", c.service}, {"state", c.state}, {"nic", c.nic},
                             {"queue", c.queue}, {"netdev", c.netdev}, {"loop", loop_health(c)}});
    return j;
}

std::string stats_table(const ModuleStatus& now, const ModuleStatus* prev, uint64_t interval_ms)
{
    std::string out;
    for (const auto& c : now.cpus) {
        const CpuStatus* p = find_cpu(prev, c.cpu);
        out += fmt::format("cpu{} {} ({}, {})\n  loop: {}\n", c.cpu, c.service, c.state, c.nic_summary(),
                           loop_health(c));
        add_rows(out, "service", c.stats, p ? &p->stats : nullptr, interval_ms);
        add_rows(out, "backend", c.backend, p ? &p->backend : nullptr, interval_ms);
    }
    if (now.cpus.empty()) out += "(no CPU attached)\n";
    return out;
}

nlohmann::ordered_json stats_json(const ModuleStatus& st)
{
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& c : st.cpus)
        j.push_back({{"cpu", c.cpu}, {"service", c.service}, {"state", c.state},
                     {"stats", counters_json(c.stats)}, {"backend", counters_json(c.backend)}});
    return j;
}

} // namespace offsched::ctl
