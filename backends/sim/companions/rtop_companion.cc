#include "backends/sim/companions/rtop_companion.h"

#include <algorithm>

#include "services/net/headers.h"
#include "services/net/parse.h"
#include "services/rtop/rtop_wire.h"

namespace offsched::sim {

namespace {
constexpr uint32_t M(CpuMode m) { return static_cast<uint32_t>(m); }
} // namespace

RtopCompanion::RtopCompanion(sc_core::sc_module_name name, const Env& env) : sc_module(name), env_(env)
{
    const OsStatsParams& o = env.p->os_stats;
    os_ = env.os_by_core.at(o.core);
    const auto cpus = static_cast<uint64_t>(env.os_by_core.size());
    period_ns_ = env.shared ? o.publish_ns : o.agent_ns;
    run_cycles_ = env.shared ? o.publish_cycles + cpus * o.publish_cpu_cycles : o.agent_cycles;
    window_start_ns_ = env.p->run.warmup_ns;
    idle_ns_.assign(env.os_by_core.size(), 0);
    last_arrival_ns_ = window_start_ns_;
    // As the kernel companion's first round at attach: the service never reports an empty machine.
    if (env.shared) os_stats_publish(env.shared, snapshot(0));
    SC_METHOD(due);
    sensitive << due_ev_;
}

// Each CPU as /proc/stat would count it: hardirq time is irq, softirq time is softirq whether it
// ran on irq_exit or in ksoftirqd (tick-based accounting charges in_serving_softirq() time to
// CPUTIME_SOFTIRQ), the user task is busy, idle is the rest. A core taken out of the OS is not
// accounted by it at all: its counters stay at zero.
OsStats RtopCompanion::snapshot(uint64_t now_ns)
{
    OsStats s{};
    s.cpu_count = static_cast<u32>(std::min<size_t>(env_.os_by_core.size(), kOsStatsMaxCpus));
    s.mem_total_kb = env_.p->os_stats.mem_total_kb;
    s.mem_available_kb = env_.p->os_stats.mem_available_kb;
    for (u32 c = 0; c < s.cpu_count; ++c) {
        const OsCore* os = env_.os_by_core[c];
        if (!os) continue;
        const uint64_t* cyc = (*env_.usage)[c].cycles;
        const auto ns = [&](uint64_t cycles) { return env_.tb.cycles_to_ps(cycles) / 1000; };
        CpuSample& r = s.cpus[c];
        r.busy_ns = ns(cyc[M(CpuMode::User)]);
        r.irq_ns = ns(cyc[M(CpuMode::Hardirq)]);
        r.softirq_ns = ns(cyc[M(CpuMode::Softirq)] + cyc[M(CpuMode::Ksoftirqd)]);
        // Chunks are booked when they start, idle only at the end of a run: idle is the rest,
        // kept monotonic as the kernel's counters are (a chunk booked ahead would shrink it).
        const uint64_t used = r.busy_ns + r.irq_ns + r.softirq_ns;
        idle_ns_[c] = std::max(idle_ns_[c], now_ns > used ? now_ns - used : 0);
        r.idle_ns = idle_ns_[c];
        r.nr_running = os->nr_running();
    }
    return s;
}

void RtopCompanion::due()
{
    const uint64_t now = now_ns();
    if (!started_) {
        started_ = true;
        if (env_.shared) { // published at elaboration; the delayed work is armed from there
            due_ev_.notify(Timebase::ns(period_ns_));
            return;
        }
    }
    pending_due_ns_ = now;
    os_->enqueue_user_work(run_cycles_, [this, now](uint64_t t) { ran(now, t); });
}

// The kworker or the agent got the CPU and did its work: publish or send, then re-arm the timer
// from now (schedule_delayed_work at the end of the work; an agent's sleep after its report).
void RtopCompanion::ran(uint64_t due_ns, uint64_t now_ns)
{
    ++runs_;
    pending_due_ns_ = kNone;
    max_delay_ns_ = std::max(max_delay_ns_, now_ns - due_ns);
    const OsStats s = snapshot(now_ns);
    if (env_.shared) os_stats_publish(env_.shared, s);
    else send_agent_report(s, now_ns);
    due_ev_.notify(Timebase::ns(period_ns_));
}

// The agent reads /proc directly, so its figures are as fresh as its run; it speaks rtop's wire
// format so the admin's collector is the same one.
void RtopCompanion::send_agent_report(const OsStats& s, uint64_t now_ns)
{
    rtop::Record recs[rtop::kMaxRecordsPerDatagram];
    uint8_t payload[rtop::kMaxDatagramLen];
    rtop::Header h{};
    h.sample = ++agent_seq_;
    h.timestamp_ns = now_ns;
    h.mem_total_kb = s.mem_total_kb;
    h.mem_available_kb = s.mem_available_kb;
    h.total_cpus = static_cast<uint16_t>(s.cpu_count);
    for (u32 first = 0; first == 0 || first < s.cpu_count; first += rtop::kMaxRecordsPerDatagram) {
        const u32 n = std::min(s.cpu_count - first, rtop::kMaxRecordsPerDatagram);
        for (u32 i = 0; i < n; ++i) {
            const CpuSample& c = s.cpus[first + i];
            recs[i] = rtop::Record{static_cast<u16>(first + i), c.nr_running, c.busy_ns, c.idle_ns, c.irq_ns, c.softirq_ns};
        }
        h.seq = ++agent_datagrams_;
        h.first_cpu = static_cast<u16>(first);
        h.record_count = static_cast<u16>(n);
        receive(payload, rtop::encode(h, recs, n, payload, sizeof payload), now_ns);
    }
}

bool RtopCompanion::take(const Frame& f, uint64_t now_ns)
{
    net::ParsedFrame p{};
    if (net::parse_frame(f.data, f.len, &p) != net::ParseError::Ok || p.proto != net::kIpProtoUdp || p.dst_port != env_.port)
        return false;
    receive(f.data + p.payload_offset, p.payload_len, now_ns);
    return true;
}

void RtopCompanion::receive(const uint8_t* payload, size_t len, uint64_t sent_ns)
{
    const uint64_t at = sent_ns + env_.p->legit.one_way_ns;
    const bool sample = collector_.feed(payload, len, at);
    if (at < window_start_ns_) return;
    max_gap_ns_ = std::max(max_gap_ns_, at - last_arrival_ns_);
    last_arrival_ns_ = at;
    if (!sample) return;
    ++samples_in_window_;
    max_age_ns_ = std::max(max_age_ns_, collector_.last().age_ns);
    max_unchanged_ns_ = std::max(max_unchanged_ns_, collector_.last().unchanged_ns);
}

void RtopCompanion::fill(DesignResult& r) const
{
    if (!env_.observe) return;
    const uint64_t end = r.sim_ns;
    const uint64_t window = end > window_start_ns_ ? end - window_start_ns_ : 0;
    nlohmann::ordered_json j;
    j["reporter"] = env_.shared ? "rtop_service" : "os_agent";
    j["interval_ns"] = env_.interval_ns;
    j["window_ns"] = window;
    j["expected_samples"] = env_.interval_ns ? window / env_.interval_ns : 0;
    j["samples"] = samples_in_window_;
    // The silence at the end counts too: a reporter that stopped has one long last gap.
    j["max_gap_ns"] = std::max(max_gap_ns_, end > last_arrival_ns_ ? end - last_arrival_ns_ : 0);
    j["max_age_ns"] = max_age_ns_;
    j["last_age_ns"] = collector_.has_sample() ? collector_.last().age_ns : 0;
    j["max_unchanged_ns"] = max_unchanged_ns_;
    j["collector"] = collector_.counters_json();
    // A run that never got the CPU is as late as the whole wait so far.
    const uint64_t still_waiting = pending_due_ns_ != kNone && end > pending_due_ns_ ? end - pending_due_ns_ : 0;
    j[env_.shared ? "publisher" : "agent"] = {{"core", env_.p->os_stats.core},
                                              {"period_ns", period_ns_},
                                              {"cycles_per_run", run_cycles_},
                                              {"runs", runs_},
                                              {"max_delay_ns", std::max(max_delay_ns_, still_waiting)}};
    nlohmann::ordered_json cpus = nlohmann::ordered_json::array();
    if (collector_.has_sample()) {
        const rtop_view::Sample& s = collector_.last();
        j["mem_total_kb"] = s.mem_total_kb;
        j["mem_available_kb"] = s.mem_available_kb;
        for (const rtop_view::CpuView& c : s.cpus) {
            nlohmann::ordered_json cj{{"cpu", c.cpu}, {"nr_running", c.nr_running}, {"moved", c.has_share}};
            if (c.has_share)
                cj.update({{"busy_ppm", c.busy_ppm}, {"idle_ppm", c.idle_ppm}, {"irq_ppm", c.irq_ppm}, {"softirq_ppm", c.softirq_ppm}});
            cpus.push_back(cj);
        }
    }
    j["last_sample"] = cpus;
    r.remote_view = j;
}

} // namespace offsched::sim
