#include "tools/offsched-rtop/view.h"

#include <fmt/format.h>

#include "services/rtop/rtop_wire.h"
#include "tools/lib/human_units.h"

namespace offsched::rtop_view {

namespace {

std::string garbage_line(const Counters& k)
{
    std::string causes;
    for (size_t i = 1; i < k.garbage_by_cause.size(); ++i)
        if (k.garbage_by_cause[i])
            causes += fmt::format("{}{} {}", causes.empty() ? "" : ", ",
                                  rtop::decode_error_name(static_cast<rtop::DecodeError>(i)), k.garbage_by_cause[i]);
    return fmt::format("datagrams {}  decoded {}  garbage {}{}  lost {}  out of order {}  incomplete {}  max gap {}",
                       tools::format_count(k.datagrams), tools::format_count(k.decoded), tools::format_count(k.garbage),
                       causes.empty() ? "" : " (" + causes + ")", tools::format_count(k.lost), k.out_of_order,
                       k.incomplete, tools::format_ns(k.max_gap_ns));
}

std::string share(const CpuView& c, uint32_t ppm) { return c.has_share ? ppm_as_percent(ppm) : "-"; }

} // namespace

std::string render_host(const std::string& host, const Collector& c)
{
    std::string out;
    const Counters& k = c.counters();
    if (!c.has_sample()) {
        out += fmt::format("{}  (no complete sample yet)\n", host);
        return out + "  " + garbage_line(k) + "\n";
    }
    const Sample& s = c.last();
    const std::string avail = s.mem_total_kb ? " (" + ppm_as_percent(static_cast<uint32_t>(s.mem_available_kb * 1000000 / s.mem_total_kb)) + " %)" : "";
    const std::string stale = s.unchanged_ns ? fmt::format(" (STALE: no counter moved for {})", tools::format_ns(s.unchanged_ns)) : "";
    out += fmt::format("{}  sample {}  age {}{}  {} CPUs  mem {} kB total, {} kB available{}\n", host, s.sample,
                       tools::format_ns(s.age_ns), stale, s.total_cpus, tools::format_count(s.mem_total_kb),
                       tools::format_count(s.mem_available_kb), avail);
    out += "  " + garbage_line(k) + "\n";
    out += fmt::format("  {:>4} {:>7} {:>7} {:>7} {:>8} {:>6}\n", "CPU", "busy%", "idle%", "irq%", "softirq%", "runq");
    for (const CpuView& v : s.cpus) {
        out += fmt::format("  {:>4} {:>7} {:>7} {:>7} {:>8} {:>6}", v.cpu, share(v, v.busy_ppm), share(v, v.idle_ppm),
                           share(v, v.irq_ppm), share(v, v.softirq_ppm), v.nr_running);
        // A CPU whose counters stand still is either outside the OS (offloaded, offline) or
        // its publisher did not run: say so instead of showing zeros.
        out += v.has_share ? "\n" : k.samples > 1 ? "  (counters did not move)\n" : "  (first sample: shares from the next)\n";
    }
    return out;
}

} // namespace offsched::rtop_view
