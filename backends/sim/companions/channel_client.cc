#include "backends/sim/companions/channel_client.h"

#include <algorithm>

#include "backends/sim/machine/latency_summary.h"
#include "model/channels.h"

namespace offsched::sim {

namespace {
// When post `k` of request `r` is due (never, past the end of time, when that overflows).
uint64_t due_ns(const ChannelRequest& r, uint64_t k)
{
    uint64_t span = 0, at = 0;
    if (__builtin_mul_overflow(k, r.every_ns, &span) || __builtin_add_overflow(r.at_ns, span, &at)) return ~0ull;
    return at;
}
} // namespace

ChannelClient::ChannelClient(sc_core::sc_module_name name, const Design& d, const Timebase& tb, Service& service,
                             bool periodic)
    : sc_module(name), d_(d), spec_(d.service->channels), tb_(tb), service_(service), periodic_(periodic)
{
    posted_.assign(d.requests.size(), 0);
    // Half the completion ring's worth of completions between drains (at most every 100 us):
    // each periodic source completes at most once a period, the shortest period bounds them all.
    uint64_t sources = 0, shortest_ns = 0;
    const auto source = [&](uint64_t n, uint64_t period_ns) {
        sources += n;
        shortest_ns = shortest_ns ? std::min(shortest_ns, period_ns) : period_ns;
    };
    if (periodic) source(d.params.timers.count, d.params.timers.period_ns);
    for (const ChannelRequest& r : d.requests)
        if (r.every_ns) source(1, r.every_ns);
    drain_ns_ = 100000;
    if (sources && spec_.completion_slots) drain_ns_ = std::clamp<uint64_t>(shortest_ns * spec_.completion_slots / (2 * sources), 1000, 100000);
    SC_METHOD(run);
}

void ChannelClient::run()
{
    const uint64_t now_ns = sc_core::sc_time_stamp().value() / 1000;
    alignas(8) uint8_t record[kMaxChannelRecord];
    if (!started_ && periodic_) {
        const TimerLoadParams& t = d_.params.timers;
        for (uint32_t i = 0; i < t.count; ++i) {
            const uint64_t first_ns = t.offset_ns + i * t.period_ns / t.count;
            spec_.periodic_request(i, tb_.ps_to_cycles(first_ns * 1000), tb_.ps_to_cycles(t.period_ns * 1000), record);
            // The scenario loader checked count against the service's limits and its ring.
            service_.post_request(record);
        }
    }
    started_ = true;
    post_due(now_ns);
    drain();
    uint64_t next_ns = now_ns + drain_ns_;
    for (size_t i = 0; i < d_.requests.size(); ++i) {
        const ChannelRequest& r = d_.requests[i];
        const bool more = r.every_ns ? (r.count == 0 || posted_[i] < r.count) : posted_[i] == 0;
        if (more) next_ns = std::min(next_ns, due_ns(r, posted_[i]));
    }
    next_trigger(Timebase::ns(next_ns - now_ns));
}

void ChannelClient::post_due(uint64_t now_ns)
{
    alignas(8) uint8_t record[kMaxChannelRecord];
    const RequestContext ctx{tb_.ps_to_cycles(now_ns * 1000), static_cast<u32>(tb_.freq_mhz * 1000)};
    for (size_t i = 0; i < d_.requests.size(); ++i) {
        const ChannelRequest& r = d_.requests[i];
        const uint64_t limit = r.every_ns ? (r.count ? r.count : ~0ull) : 1;
        while (posted_[i] < limit && due_ns(r, posted_[i]) <= now_ns) {
            ++posted_[i];
            // The loader parsed every text once already: it parses here against the clock now.
            if (!spec_.request_from_text(r.text.data(), static_cast<u32>(r.text.size()), ctx, record)) continue;
            if (service_.post_request(record)) ++requests_posted_;
            else ++requests_refused_;
        }
    }
}

void ChannelClient::drain()
{
    if (!spec_.completion_bytes || !spec_.summarize) return;
    alignas(8) uint8_t record[kMaxChannelRecord];
    const u32 khz = static_cast<u32>(tb_.freq_mhz * 1000);
    const uint64_t warmup_cycles = tb_.ps_to_cycles(d_.params.run.warmup_ns * 1000);
    while (service_.take_completion(record)) {
        CompletionSummary s{};
        spec_.summarize(record, khz, &s);
        ++completions_;
        if (s.seq > last_seq_ + 1) lost_ += s.seq - last_seq_ - 1;
        last_seq_ = std::max(last_seq_, s.seq);
        if (s.due >= warmup_cycles) errors_ns_.push_back(s.err_ns);
    }
}

void ChannelClient::fill(DesignResult& r) const
{
    if (periodic_) fill_timer_result(r, "offsched_timer", errors_ns_);
    if (d_.requests.empty()) return;
    const LatencySummary s = summarize_latencies(errors_ns_);
    r.channel = ChannelResult{requests_posted_, requests_refused_, completions_, lost_, s.p50_ns, s.p99_ns, s.max_ns};
}

} // namespace offsched::sim
