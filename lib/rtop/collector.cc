#include "lib/rtop/collector.h"

#include <algorithm>

#include <fmt/format.h>

#include "services/rtop/rtop_wire.h"

namespace offsched::rtop_view {

namespace {

// A sequence number this far behind the last one is a restarted sender, not a late datagram.
constexpr int64_t kRestartDistance = 1024;

uint64_t total_of(const CpuView& c) { return c.busy_ns + c.idle_ns + c.irq_ns + c.softirq_ns; }

uint32_t ppm(uint64_t part, uint64_t whole)
{
    return static_cast<uint32_t>(static_cast<unsigned __int128>(part) * 1000000 / whole);
}

// Counters are cumulative; one that went backwards (a rebooted host) gives no share.
void set_shares(CpuView& now, const CpuView& before)
{
    if (now.busy_ns < before.busy_ns || now.idle_ns < before.idle_ns || now.irq_ns < before.irq_ns ||
        now.softirq_ns < before.softirq_ns)
        return;
    const uint64_t busy = now.busy_ns - before.busy_ns, idle = now.idle_ns - before.idle_ns;
    const uint64_t irq = now.irq_ns - before.irq_ns, soft = now.softirq_ns - before.softirq_ns;
    const uint64_t whole = busy + idle + irq + soft;
    if (whole == 0) return;
    now.has_share = true;
    now.busy_ppm = ppm(busy, whole);
    now.idle_ppm = ppm(idle, whole);
    now.irq_ppm = ppm(irq, whole);
    now.softirq_ppm = ppm(soft, whole);
}

bool same_counters(const Sample& a, const Sample& b)
{
    if (a.cpus.size() != b.cpus.size()) return false;
    for (size_t i = 0; i < a.cpus.size(); ++i)
        if (total_of(a.cpus[i]) != total_of(b.cpus[i]) || a.cpus[i].busy_ns != b.cpus[i].busy_ns) return false;
    return true;
}

} // namespace

std::string ppm_as_percent(uint32_t v) { return fmt::format("{}.{}", v / 10000, (v / 1000) % 10); }

bool Collector::feed(const uint8_t* payload, size_t len, uint64_t now_ns)
{
    ++c_.datagrams;
    rtop::Header h{};
    rtop::Record rec[rtop::kMaxRecordsPerDatagram];
    const auto err = len > 0xffff ? rtop::DecodeError::Truncated
                                  : rtop::decode(payload, static_cast<uint32_t>(len), &h, rec, rtop::kMaxRecordsPerDatagram);
    if (err != rtop::DecodeError::Ok) {
        ++c_.garbage;
        ++c_.garbage_by_cause[std::min<size_t>(static_cast<size_t>(err), c_.garbage_by_cause.size() - 1)];
        return false;
    }
    ++c_.decoded;
    if (have_rx_) c_.max_gap_ns = std::max(c_.max_gap_ns, now_ns - std::min(now_ns, last_rx_ns_));
    have_rx_ = true;
    last_rx_ns_ = now_ns;

    if (have_seq_) {
        const int64_t ahead = static_cast<int64_t>(h.seq) - static_cast<int64_t>(last_seq_);
        if (ahead <= 0 && ahead > -kRestartDistance) {
            ++c_.out_of_order;
            return false;
        }
        if (ahead > 1) c_.lost += static_cast<uint64_t>(ahead - 1);
    }
    have_seq_ = true;
    last_seq_ = h.seq;

    if (!pending_active_ || h.sample != pending_.sample || h.total_cpus != pending_.total_cpus) {
        if (pending_active_) ++c_.incomplete;
        pending_ = Sample{};
        pending_.sample = h.sample;
        pending_.timestamp_ns = h.timestamp_ns;
        pending_.mem_total_kb = h.mem_total_kb;
        pending_.mem_available_kb = h.mem_available_kb;
        pending_.total_cpus = h.total_cpus;
        pending_.cpus.resize(h.total_cpus);
        pending_have_.assign(h.total_cpus, false);
        pending_filled_ = 0;
        pending_active_ = true;
    }
    for (uint32_t i = 0; i < h.record_count; ++i) { // decode() checked first_cpu + count <= total_cpus
        const rtop::Record& r = rec[i];
        CpuView& v = pending_.cpus[r.cpu];
        v = CpuView{r.cpu, r.nr_running, r.busy_ns, r.idle_ns, r.irq_ns, r.softirq_ns};
        if (!pending_have_[r.cpu]) ++pending_filled_;
        pending_have_[r.cpu] = true;
    }
    if (pending_filled_ < pending_.total_cpus) return false;
    complete(now_ns);
    return true;
}

void Collector::complete(uint64_t now_ns)
{
    pending_active_ = false;
    Sample& s = pending_;
    s.received_ns = now_ns;
    for (CpuView& c : s.cpus) {
        s.published_ns = std::max(s.published_ns, total_of(c));
        if (c_.samples && c.cpu < last_.cpus.size()) set_shares(c, last_.cpus[c.cpu]);
    }
    // Differences in unsigned (modular) arithmetic: a datagram's clocks are untrusted input, and
    // a signed subtraction of two far-apart values overflows (UBSan found it with random bodies).
    s.lag_ns = static_cast<int64_t>(s.timestamp_ns - s.published_ns);
    if (!have_lag_ || s.lag_ns < min_lag_) min_lag_ = s.lag_ns;
    have_lag_ = true;
    s.age_ns = static_cast<uint64_t>(s.lag_ns) - static_cast<uint64_t>(min_lag_);
    if (c_.samples && same_counters(s, last_) && s.timestamp_ns >= last_.timestamp_ns)
        s.unchanged_ns = last_.unchanged_ns + (s.timestamp_ns - last_.timestamp_ns);
    last_ = std::move(s);
    if (c_.samples == 0) first_ = last_;
    ++c_.samples;
}

nlohmann::ordered_json Collector::counters_json() const
{
    nlohmann::ordered_json j;
    j["datagrams"] = c_.datagrams;
    j["decoded"] = c_.decoded;
    j["garbage"] = c_.garbage;
    nlohmann::ordered_json causes = nlohmann::ordered_json::object();
    for (size_t i = 1; i < c_.garbage_by_cause.size(); ++i)
        if (c_.garbage_by_cause[i]) causes[rtop::decode_error_name(static_cast<rtop::DecodeError>(i))] = c_.garbage_by_cause[i];
    j["garbage_by_cause"] = causes;
    j["lost"] = c_.lost;
    j["out_of_order"] = c_.out_of_order;
    j["samples"] = c_.samples;
    j["incomplete"] = c_.incomplete;
    j["max_gap_ns"] = c_.max_gap_ns;
    return j;
}

nlohmann::ordered_json Collector::sample_json() const
{
    const Sample& s = last_;
    nlohmann::ordered_json j;
    j["sample"] = s.sample;
    j["timestamp_ns"] = s.timestamp_ns;
    j["age_ns"] = s.age_ns;
    j["lag_ns"] = s.lag_ns;
    j["unchanged_ns"] = s.unchanged_ns;
    j["mem_total_kb"] = s.mem_total_kb;
    j["mem_available_kb"] = s.mem_available_kb;
    j["total_cpus"] = s.total_cpus;
    nlohmann::ordered_json cpus = nlohmann::ordered_json::array();
    for (const CpuView& c : s.cpus) {
        nlohmann::ordered_json cj;
        cj["cpu"] = c.cpu;
        cj["nr_running"] = c.nr_running;
        cj["busy_ns"] = c.busy_ns;
        cj["idle_ns"] = c.idle_ns;
        cj["irq_ns"] = c.irq_ns;
        cj["softirq_ns"] = c.softirq_ns;
        if (c.has_share) {
            cj["busy_ppm"] = c.busy_ppm;
            cj["idle_ppm"] = c.idle_ppm;
            cj["irq_ppm"] = c.irq_ppm;
            cj["softirq_ppm"] = c.softirq_ppm;
        }
        cpus.push_back(cj);
    }
    j["cpus"] = cpus;
    j["counters"] = counters_json();
    return j;
}

} // namespace offsched::rtop_view
