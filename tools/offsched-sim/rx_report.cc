#include "tools/offsched-sim/rx_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "tools/lib/human_units.h"

namespace offsched::tools {

namespace {

using sim::CpuMode;

struct OsCost {
    uint64_t mode[3] = {};    // hardirq, softirq, ksoftirqd cycles over every OS core
    uint64_t total = 0;       // all cycles of the OS cores
};

OsCost os_cost(const sim::DesignResult& r)
{
    OsCost c;
    for (const sim::CoreUsage& u : r.cores) {
        if (u.role != "os") continue;
        for (uint32_t m = 0; m < 3; ++m) c.mode[m] += u.cycles[m];
        for (uint64_t v : u.cycles) c.total += v;
    }
    return c;
}

uint64_t drop_of(const sim::DesignResult& r, const char* key)
{
    for (const auto& [k, v] : r.drops)
        if (k == key) return v;
    return 0;
}

// Packets that never reached a socket: NIC ring, host ring, or taken by the service and not passed.
uint64_t lost(const sim::DesignResult& r)
{
    return drop_of(r, "nic_ring_full") + drop_of(r, "host_ring_full") + drop_of(r, "service") + r.app_socket_drops;
}

// "0.014" per packet, three decimals, integers only.
std::string per_packet_milli(uint64_t events, uint64_t packets)
{
    if (!packets) return "-";
    const uint64_t milli = (events * 1000 + packets / 2) / packets;
    return fmt::format("{}.{:03}", milli / 1000, milli % 1000);
}

std::string busy_split(const OsCost& c)
{
    if (!c.total) return "-";
    std::string s;
    for (uint32_t m = 0; m < 3; ++m) {
        const std::string p = format_ppm_percent(c.mode[m] * 1000000 / c.total);
        s += (m ? "/" : "") + p.substr(0, p.find(' '));
    }
    return s;
}

std::vector<std::string> cells(const std::vector<sim::DesignResult>& rs, std::string (*f)(const sim::DesignResult&))
{
    std::vector<std::string> out;
    for (const auto& r : rs) out.push_back(f(r));
    return out;
}

const char* answer(const sim::DesignResult& r)
{
    const uint64_t l = lost(r), all = l + r.rx.delivered;
    if (l * 1000 <= all) return "yes"; // at most 0.1 % lost
    return l * 10 > all ? "NO" : "lossy";
}

} // namespace

bool is_receive_scenario(const std::vector<sim::DesignResult>& rs)
{
    return !rs.empty() && std::all_of(rs.begin(), rs.end(), [](const auto& r) {
        return r.legit_attempts == 0 && r.flood_offered == 0 && r.app_consumed == 0 && r.app_socket_drops == 0;
    }) && std::any_of(rs.begin(), rs.end(), [](const auto& r) { return r.rx.delivered > 0; });
}

const char* rx_heading() { return "established-flow receive (whole run; latency and rate after warm-up)"; }

std::vector<std::pair<std::string, std::vector<std::string>>> rx_rows(const std::vector<sim::DesignResult>& rs)
{
    return {
        {"delivered to sockets /s", cells(rs, [](const auto& r) { return format_count(r.rx.delivered_pps); })},
        {"lost (NIC ring, host ring)", cells(rs, [](const auto& r) { return format_count(lost(r)); })},
        {"online cores: cycles/packet", cells(rs, [](const auto& r) { return format_count(r.rx.os_cycles_per_packet) + " cyc"; })},
        {"  % hardirq/softirq/ksoftirqd", cells(rs, [](const auto& r) { return busy_split(os_cost(r)); })},
        {"latency NIC->socket p50", cells(rs, [](const auto& r) { return format_ns(r.rx.latency_p50_ns); })},
        {"latency NIC->socket p99", cells(rs, [](const auto& r) { return format_ns(r.rx.latency_p99_ns); })},
        {"latency NIC->socket max", cells(rs, [](const auto& r) { return format_ns(r.rx.latency_max_ns); })},
        {"NIC interrupts/packet", cells(rs, [](const auto& r) { return per_packet_milli(r.rx.nic_irqs, r.rx.delivered); })},
        {"doorbell IPIs/packet", cells(rs, [](const auto& r) { return per_packet_milli(r.rx.doorbells, r.rx.delivered); })},
    };
}

std::string rx_verdict(const std::vector<sim::DesignResult>& rs, size_t width)
{
    std::string v = "Did every packet reach its socket, and what did it cost the online cores?\n";
    const uint64_t base = rs.empty() ? 0 : rs.front().rx.os_cycles_per_packet;
    for (size_t i = 0; i < rs.size(); ++i) {
        const sim::DesignResult& r = rs[i];
        const uint64_t cpp = r.rx.os_cycles_per_packet;
        v += fmt::format("  {:<{}}  {:<6} {} lost, {} cycles/packet", r.design, width, answer(r), format_count(lost(r)), format_count(cpp));
        if (i && base) v += fmt::format(" ({}.{:02}x {})", cpp * 100 / base / 100, cpp * 100 / base % 100, rs.front().design);
        v += fmt::format(", p99 {}, {} wake-ups/packet\n", format_ns(r.rx.latency_p99_ns),
                         per_packet_milli(r.rx.nic_irqs + r.rx.doorbells, r.rx.delivered));
    }
    return v;
}

std::string render_rx_sweep(const SweepGrid& grid, const std::vector<SweepPoint>& points)
{
    std::string out;
    if (points.empty()) return out;
    const size_t w = label_width(grid, points);
    for (size_t d = 0; d < points.front().results.size(); ++d) {
        out += fmt::format("\n{}\n", points.front().results[d].design);
        out += fmt::format("  {:>{}}{:>14}{:>12}{:>12}{:>20}{:>12}{:>12}{:>10}\n", axes_heading(grid), w,
                           "delivered/s", "lost", "cyc/pkt", "hardirq/softirq/ksd", "rx p50", "rx p99", "wake/pkt");
        for (const SweepPoint& p : points) {
            const sim::DesignResult& r = p.results[d];
            const OsCost c = os_cost(r);
            out += fmt::format("  {:>{}}{:>14}{:>12}{:>12}{:>20}{:>12}{:>12}{:>10}\n", coords_label(p.coords), w,
                               format_count(r.rx.delivered_pps), format_count(lost(r)), format_count(r.rx.os_cycles_per_packet),
                               busy_split(c), format_ns(r.rx.latency_p50_ns), format_ns(r.rx.latency_p99_ns),
                               per_packet_milli(r.rx.nic_irqs + r.rx.doorbells, r.rx.delivered));
        }
    }
    return out;
}

} // namespace offsched::tools
