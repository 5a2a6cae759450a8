#include "tools/offsched-sim/report_table.h"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "tools/lib/human_units.h"
#include "tools/offsched-sim/rt_sweep.h"
#include "tools/offsched-sim/sweep_stats.h"
#include "tools/offsched-sim/rx_report.h"

namespace offsched::tools {

namespace {

constexpr size_t kLabelWidth = 34;
constexpr size_t kColumnWidth = 18;

class Table {
public:
    void heading(const std::string& text) { out_ += "\n" + text + "\n"; }
    void row(const std::string& label, const std::vector<std::string>& cells)
    {
        out_ += fmt::format("  {:<{}}", label, kLabelWidth - 2);
        for (const std::string& c : cells) out_ += fmt::format("{:>{}}", c, kColumnWidth);
        out_ += "\n";
    }
    void line(const std::string& text) { out_ += text + "\n"; }
    const std::string& str() const { return out_; }

private:
    std::string out_;
};

std::vector<std::string> cells(const std::vector<sim::DesignResult>& rs,
                               const std::function<std::string(const sim::DesignResult&)>& f)
{
    std::vector<std::string> out;
    for (const auto& r : rs) out.push_back(f(r));
    return out;
}

// The union of keys of a keyed list across designs, in order of first appearance.
std::vector<std::string> keys_of(const std::vector<sim::DesignResult>& rs,
                                 std::vector<std::pair<std::string, uint64_t>> sim::DesignResult::*list)
{
    std::vector<std::string> keys;
    for (const auto& r : rs)
        for (const auto& [k, v] : r.*list)
            if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    return keys;
}

uint64_t value_of(const std::vector<std::pair<std::string, uint64_t>>& list, const std::string& key)
{
    for (const auto& [k, v] : list)
        if (k == key) return v;
    return 0;
}

// Keys whose value is non-zero in at least one design: a row of zeros everywhere says nothing.
std::vector<std::string> nonzero_keys_of(const std::vector<sim::DesignResult>& rs,
                                         std::vector<std::pair<std::string, uint64_t>> sim::DesignResult::*list)
{
    std::vector<std::string> keys;
    for (const std::string& k : keys_of(rs, list))
        if (std::any_of(rs.begin(), rs.end(), [&](const auto& r) { return value_of(r.*list, k) != 0; }))
            keys.push_back(k);
    return keys;
}

std::string share(uint64_t part, uint64_t whole)
{
    if (whole == 0) return "-";
    return format_ppm_percent(static_cast<uint64_t>(static_cast<unsigned __int128>(part) * 1000000 / whole));
}

std::string pretty(const std::string& key)
{
    std::string s = key;
    std::replace(s.begin(), s.end(), '_', ' ');
    return s;
}

bool any_legit(const std::vector<sim::DesignResult>& rs)
{
    return std::any_of(rs.begin(), rs.end(), [](const auto& r) { return r.legit_attempts > 0; });
}

// The clients' kind: HTTP-like (legit.response_segments > 0) or ssh-like.
bool http_clients(const sim::Scenario& s)
{
    return !s.designs.empty() && s.designs.front().params.legit.response_segments > 0;
}

void legit_rows(Table& t, const std::vector<sim::DesignResult>& rs, bool http)
{
    if (!any_legit(rs)) return; // a scenario without ssh clients (timer_jitter, rt_deadlines)
    t.heading(http ? "legitimate (HTTP-like) connections: request, whole response in"
                   : "legitimate (ssh-like) connections");
    t.row("succeeded", cells(rs, [](const auto& r) { return format_ppm_percent(r.legit_success_ppm); }));
    t.row("  established / attempted", cells(rs, [](const auto& r) {
              return fmt::format("{}/{}", r.legit_established, r.legit_attempts);
          }));
    t.row("connect latency p50", cells(rs, [](const auto& r) { return r.legit_established ? format_ns(r.connect_p50_ns) : "-"; }));
    t.row("connect latency p99", cells(rs, [](const auto& r) { return r.legit_established ? format_ns(r.connect_p99_ns) : "-"; }));
    t.row("connect latency max", cells(rs, [](const auto& r) { return r.legit_established ? format_ns(r.connect_max_ns) : "-"; }));
    t.row("goodput", cells(rs, [](const auto& r) { return format_bits(r.goodput_bps); }));
    if (std::any_of(rs.begin(), rs.end(), [](const auto& r) { return r.legit_bad_segments; }))
        t.row("segments out of sequence", cells(rs, [](const auto& r) { return format_count(r.legit_bad_segments); }));
}

// The datagram-reading application (os.app_packet_cycles > 0): the livelock papers' output rate.
void app_rows(Table& t, const std::vector<sim::DesignResult>& rs)
{
    if (std::none_of(rs.begin(), rs.end(), [](const auto& r) { return r.app_consumed || r.app_socket_drops; })) return;
    t.heading("application reading datagrams (after warm-up)");
    t.row("output rate", cells(rs, [](const auto& r) { return format_count(r.app_output_pps) + " /s"; }));
    t.row("read", cells(rs, [](const auto& r) { return format_count(r.app_consumed); }));
    t.row("dropped at its socket", cells(rs, [](const auto& r) { return format_count(r.app_socket_drops); }));
}

void flood_rows(Table& t, const std::vector<sim::DesignResult>& rs)
{
    t.heading("where the flood went (share of flood packets offered)");
    t.row("offered", cells(rs, [](const auto& r) { return format_count(r.flood_offered); }));
    for (const std::string& k : nonzero_keys_of(rs, &sim::DesignResult::flood_fate))
        t.row(pretty(k), cells(rs, [&](const auto& r) { return share(value_of(r.flood_fate, k), r.flood_offered); }));
    if (std::any_of(rs.begin(), rs.end(), [](const auto& r) { return r.backscatter_synacks; }))
        t.row("SYN-ACKs to spoofed sources /s", cells(rs, [](const auto& r) { return format_count(r.backscatter_pps); }));
    const auto drop_keys = nonzero_keys_of(rs, &sim::DesignResult::drops);
    if (drop_keys.empty()) return;
    t.heading("all drops, any traffic (packets)");
    for (const std::string& k : drop_keys)
        t.row(pretty(k), cells(rs, [&](const auto& r) { return format_count(value_of(r.drops, k)); }));
}

void core_rows(Table& t, const std::vector<sim::DesignResult>& rs)
{
    size_t cores = 0;
    for (const auto& r : rs) cores = std::max(cores, r.cores.size());
    std::string modes;
    for (uint32_t m = 0; m < static_cast<uint32_t>(sim::CpuMode::Count); ++m)
        modes += (m ? "/" : "") + std::string(sim::cpu_mode_name(static_cast<sim::CpuMode>(m)));
    t.heading("per-core time, % " + modes);
    for (size_t c = 0; c < cores; ++c) {
        t.row(fmt::format("core {}", c), cells(rs, [&](const auto& r) {
                  return c < r.cores.size() ? r.cores[c].role : std::string("-");
              }));
        t.row("", cells(rs, [&](const auto& r) {
                  if (c >= r.cores.size()) return std::string("-");
                  const auto& u = r.cores[c];
                  uint64_t total = 0;
                  for (uint64_t v : u.cycles) total += v;
                  std::string s;
                  for (uint32_t m = 0; m < static_cast<uint32_t>(sim::CpuMode::Count); ++m)
                      s += fmt::format("{}{}", m ? "/" : "", total ? (u.cycles[m] * 100 + total / 2) / total : 0);
                  return s;
              }));
    }
}

void service_rows(Table& t, const std::vector<sim::DesignResult>& rs)
{
    const auto keys = nonzero_keys_of(rs, &sim::DesignResult::service_stats);
    if (keys.empty()) return;
    t.heading("offloaded service counters");
    for (const std::string& k : keys)
        t.row(pretty(k), cells(rs, [&](const auto& r) {
                  return r.service_stats.empty() ? std::string("-") : format_count(value_of(r.service_stats, k));
              }));
}

// Periodic timers (timer_jitter.yaml): where they fired and how late.
void timer_rows(Table& t, const std::vector<sim::DesignResult>& rs)
{
    if (std::all_of(rs.begin(), rs.end(), [](const auto& r) { return r.timer_path.empty(); })) return;
    t.heading("timer firing error (expiry acted on - deadline, after warm-up)");
    t.row("path", cells(rs, [](const auto& r) { return r.timer_path.empty() ? std::string("-") : r.timer_path; }));
    t.row("expiries", cells(rs, [](const auto& r) { return format_count(r.timer_samples); }));
    t.row("error p50", cells(rs, [](const auto& r) { return r.timer_samples ? format_ns(r.timer_err_p50_ns) : "-"; }));
    t.row("error p99", cells(rs, [](const auto& r) { return r.timer_samples ? format_ns(r.timer_err_p99_ns) : "-"; }));
    t.row("error max", cells(rs, [](const auto& r) { return r.timer_samples ? format_ns(r.timer_err_max_ns) : "-"; }));
}

// A periodic job set (rt_deadlines.yaml): as OS SCHED_FIFO tasks or on the rt service.
void rt_rows(Table& t, const std::vector<sim::DesignResult>& rs)
{
    if (std::all_of(rs.begin(), rs.end(), [](const auto& r) { return r.rt_path.empty(); })) return;
    t.heading("periodic jobs (every release)");
    t.row("path", cells(rs, [](const auto& r) { return r.rt_path.empty() ? std::string("-") : r.rt_path; }));
    t.row("releases", cells(rs, [](const auto& r) { return format_count(r.rt_releases); }));
    t.row("deadline misses", cells(rs, [](const auto& r) { return format_count(r.rt_deadline_misses); }));
    t.row("overruns", cells(rs, [](const auto& r) { return format_count(r.rt_overruns); }));
    t.row("max response time", cells(rs, [](const auto& r) { return format_ns(r.rt_max_response_ns); }));
}

// A design's requests (designs[i].requests) to its service's request ring, and the completions.
void channel_rows(Table& t, const std::vector<sim::DesignResult>& rs)
{
    const auto used = [](const sim::DesignResult& r) { return r.channel.requests_posted + r.channel.requests_refused > 0; };
    if (std::none_of(rs.begin(), rs.end(), used)) return;
    const auto row = [&](const char* name, auto get) {
        t.row(name, cells(rs, [&](const auto& r) { return used(r) ? get(r.channel) : std::string("-"); }));
    };
    t.heading("requests to the service, and its completions (lateness after warm-up)");
    row("requests posted", [](const auto& c) { return format_count(c.requests_posted); });
    row("refused (ring full)", [](const auto& c) { return format_count(c.requests_refused); });
    row("completions", [](const auto& c) { return format_count(c.completions); });
    row("lost (sequence gaps)", [](const auto& c) { return format_count(c.completions_lost); });
    row("lateness p50", [](const auto& c) { return format_ns(c.err_p50_ns); });
    row("lateness p99", [](const auto& c) { return format_ns(c.err_p99_ns); });
    row("lateness max", [](const auto& c) { return format_ns(c.err_max_ns); });
}

// cyclictest's usual alarm level for a tuned RT kernel (also the timer service's late_threshold_ns).
constexpr uint64_t kTimerOnTimeNs = 10000;

std::string timer_verdict(const std::vector<sim::DesignResult>& rs, size_t width)
{
    std::string v = fmt::format("Did the timers fire on time (p99 error under {})?\n", format_ns(kTimerOnTimeNs));
    for (const auto& r : rs) {
        if (r.timer_path.empty()) continue;
        const char* answer = r.timer_samples == 0 ? "-" : r.timer_err_p99_ns < kTimerOnTimeNs ? "yes" : "NO";
        v += fmt::format("  {:<{}}  {:<6} p99 {}, max {} ({})\n", r.design, width, answer, format_ns(r.timer_err_p99_ns),
                         format_ns(r.timer_err_max_ns), r.timer_path);
    }
    return v;
}

std::string rt_verdict(const std::vector<sim::DesignResult>& rs, size_t width)
{
    std::string v = "Did every job meet its deadline?\n";
    for (const auto& r : rs) {
        if (r.rt_path.empty()) continue;
        const char* answer = r.rt_releases == 0 ? "-" : r.rt_deadline_misses == 0 ? "yes" : "NO";
        v += fmt::format("  {:<{}}  {:<6} {} missed of {} releases, max response {} ({})\n", r.design, width, answer,
                         format_count(r.rt_deadline_misses), format_count(r.rt_releases), format_ns(r.rt_max_response_ns), r.rt_path);
    }
    return v;
}

// rtop_flood.yaml: what reached the admin's offsched-rtop (DesignResult::rtop, null when no
// reporter ran).
bool any_rtop(const std::vector<sim::DesignResult>& rs)
{
    return std::any_of(rs.begin(), rs.end(), [](const auto& r) { return !r.remote_view.is_null(); });
}

uint64_t rtop_u64(const sim::DesignResult& r, const char* key) { return r.remote_view.is_null() ? 0 : r.remote_view.at(key).get<uint64_t>(); }

void rtop_rows(Table& t, const std::vector<sim::DesignResult>& rs)
{
    if (!any_rtop(rs)) return;
    t.heading("the host's state at the admin's desk (remote top, after warm-up)");
    const auto text = [](const sim::DesignResult& r, const std::function<std::string()>& f) {
        return r.remote_view.is_null() ? std::string("-") : f();
    };
    t.row("reported by", cells(rs, [&](const auto& r) { return text(r, [&] { return pretty(r.remote_view.at("reporter").template get<std::string>()); }); }));
    t.row("samples received / expected", cells(rs, [&](const auto& r) {
              return text(r, [&] { return fmt::format("{}/{}", rtop_u64(r, "samples"), rtop_u64(r, "expected_samples")); });
          }));
    t.row("longest gap between samples", cells(rs, [&](const auto& r) { return text(r, [&] { return format_ns(rtop_u64(r, "max_gap_ns")); }); }));
    t.row("oldest figures (sample age)", cells(rs, [&](const auto& r) {
              return text(r, [&] { return rtop_u64(r, "samples") ? format_ns(rtop_u64(r, "max_age_ns")) : std::string("-"); });
          }));
    t.row("reporting task ran late by (max)", cells(rs, [&](const auto& r) {
              return text(r, [&] {
                  const auto& task = r.remote_view.contains("publisher") ? r.remote_view.at("publisher") : r.remote_view.at("agent");
                  return format_ns(task.at("max_delay_ns").template get<uint64_t>());
              });
          }));
    size_t cpus = 0;
    for (const auto& r : rs) cpus = std::max(cpus, r.remote_view.is_null() ? size_t{0} : r.remote_view.at("last_sample").size());
    for (size_t c = 0; c < cpus; ++c)
        t.row(fmt::format("cpu {} busy/irq/softirq % (last)", c), cells(rs, [&](const auto& r) {
                  if (r.remote_view.is_null() || c >= r.remote_view.at("last_sample").size()) return std::string("-");
                  const auto& s = r.remote_view.at("last_sample")[c];
                  if (!s.at("moved").template get<bool>()) return std::string("unchanged"); // offloaded, or a stale publisher
                  const auto pct = [&](const char* k) {
                      const std::string p = format_ppm_percent(s.at(k).template get<uint64_t>());
                      return p.substr(0, p.find(' ')); // "99.39 %" -> "99.39"
                  };
                  return fmt::format("{}/{}/{}", pct("busy_ppm"), pct("irq_ppm"), pct("softirq_ppm"));
              }));
}

// Seen = samples kept coming (at least 90 % of the intervals, no gap over two intervals) and
// their figures were at most two intervals old; stale = they came but the figures were older.
std::string rtop_verdict(const std::vector<sim::DesignResult>& rs, size_t width)
{
    std::string v = "Could the admin see the host's state?\n";
    for (const auto& r : rs) {
        if (r.remote_view.is_null()) {
            v += fmt::format("  {:<{}}  {:<6} nothing reports it\n", r.design, width, "NO");
            continue;
        }
        const uint64_t n = rtop_u64(r, "samples"), expected = rtop_u64(r, "expected_samples"), interval = rtop_u64(r, "interval_ns");
        const uint64_t gap = rtop_u64(r, "max_gap_ns"), age = rtop_u64(r, "max_age_ns");
        const bool steady = n * 10 >= expected * 9 && gap <= 2 * interval;
        const char* answer = steady ? (age <= 2 * interval ? "yes" : "STALE") : n * 2 < expected || gap > 10 * interval ? "NO" : "barely";
        v += fmt::format("  {:<{}}  {:<6} {}/{} samples from the {}, longest gap {}", r.design, width, answer, n, expected,
                         pretty(r.remote_view.at("reporter").get<std::string>()), format_ns(gap));
        v += n ? fmt::format(", figures at most {} old\n", format_ns(age)) : "\n";
    }
    return v;
}

// Fewer judged attempts than this and a success share says nothing (one lost SYN is 5 %).
constexpr uint64_t kMinVerdictAttempts = 20;

// The question the product answers, one line per design: yes at >= 99 %, NO below 50 %.
std::string verdict(const std::vector<sim::DesignResult>& rs, bool http)
{
    size_t width = 0;
    for (const auto& r : rs) width = std::max(width, r.design.size());
    std::string v = http ? "Could clients reach the server?\n" : "Could the admin ssh in?\n";
    for (const auto& r : rs) {
        // A share of too few attempts is no answer: say why instead of printing "NO 0.00 %".
        if (r.legit_attempts < kMinVerdictAttempts) {
            v += fmt::format("  {:<{}}  no verdict: {} connection attempt(s) had their whole patience inside the run "
                             "(at least {} needed; lengthen run.duration_ns beyond run.warmup_ns + legit.connect_timeout_ns)\n",
                             r.design, width, r.legit_attempts, kMinVerdictAttempts);
            continue;
        }
        const char* answer = r.legit_success_ppm >= 990000 ? "yes" : r.legit_success_ppm < 500000 ? "NO" : "barely";
        v += fmt::format("  {:<{}}  {:<6} {:>9} of connections", r.design, width, answer, format_ppm_percent(r.legit_success_ppm));
        if (r.legit_established) v += fmt::format(", p99 {}", format_ns(r.connect_p99_ns));
        v += "\n";
    }
    return v;
}

} // namespace

std::string render_table(const sim::Scenario& s, const std::vector<sim::DesignResult>& rs)
{
    Table t;
    const uint64_t sim_ns = rs.empty() ? 0 : rs.front().sim_ns;
    t.line(fmt::format("{}: {}", s.name, s.description));
    t.line(fmt::format("seed {}, {} simulated per design", s.seed, format_ns(sim_ns)));
    t.row("", cells(rs, [](const auto& r) { return r.design; }));
    legit_rows(t, rs, http_clients(s));
    app_rows(t, rs);
    flood_rows(t, rs);
    core_rows(t, rs);
    if (is_receive_scenario(rs)) {
        t.heading(rx_heading());
        for (const auto& [label, c] : rx_rows(rs)) t.row(label, c);
    }
    timer_rows(t, rs);
    rt_rows(t, rs);
    channel_rows(t, rs);
    rtop_rows(t, rs);
    service_rows(t, rs);
    t.line("");
    t.line("(rows that are zero in every design are left out; --json has them all)");
    size_t width = 0;
    for (const auto& r : rs) width = std::max(width, r.design.size());
    std::vector<std::string> answers;
    if (any_legit(rs)) answers.push_back(verdict(rs, http_clients(s)));
    if (std::any_of(rs.begin(), rs.end(), [](const auto& r) { return !r.timer_path.empty(); })) answers.push_back(timer_verdict(rs, width));
    if (std::any_of(rs.begin(), rs.end(), [](const auto& r) { return !r.rt_path.empty(); })) answers.push_back(rt_verdict(rs, width));
    if (any_rtop(rs)) answers.push_back(rtop_verdict(rs, width));
    if (is_receive_scenario(rs)) answers.push_back(rx_verdict(rs, width));
    if (answers.empty()) answers.push_back(verdict(rs, http_clients(s)));
    std::string out = t.str();
    for (const std::string& a : answers) out += "\n" + a;
    return out;
}

std::string render_sweep_table(const SweepGrid& grid, const std::vector<SweepPoint>& points)
{
    std::string out;
    if (points.empty()) return out;
    if (grid.seeds > 1) return render_seed_summary(grid, points);
    if (is_timer_rt_sweep(points)) return render_timer_rt_sweep(grid, points);
    if (std::any_of(points.begin(), points.end(), [](const SweepPoint& p) { return is_receive_scenario(p.results); }))
        return render_rx_sweep(grid, points);
    // A scenario with a datagram-reading application (livelock.yaml) adds its output rate.
    bool app = false;
    for (const SweepPoint& p : points)
        for (const sim::DesignResult& r : p.results) app = app || r.app_consumed || r.app_socket_drops;
    const size_t w = label_width(grid, points);
    for (size_t d = 0; d < points.front().results.size(); ++d) {
        out += fmt::format("\n{}\n", points.front().results[d].design);
        out += fmt::format("  {:>{}}{:>12}{:>14}{:>14}{:>16}", axes_heading(grid), w, "ssh ok",
                           "connect p50", "connect p99", "goodput");
        out += app ? fmt::format("{:>16}\n", "app out/s") : "\n";
        for (const SweepPoint& p : points) {
            const sim::DesignResult& r = p.results[d];
            out += fmt::format("  {:>{}}{:>12}{:>14}{:>14}{:>16}", coords_label(p.coords), w,
                               format_ppm_percent(r.legit_success_ppm),
                               r.legit_established ? format_ns(r.connect_p50_ns) : "-",
                               r.legit_established ? format_ns(r.connect_p99_ns) : "-", format_bits(r.goodput_bps));
            out += app ? fmt::format("{:>16}\n", format_count(r.app_output_pps)) : "\n";
        }
    }
    return out;
}

} // namespace offsched::tools
