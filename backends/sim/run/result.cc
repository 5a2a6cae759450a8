// DesignResult <-> JSON. Keys are written in a fixed order and every number is an integer, so
// equal results serialise to equal bytes (the determinism tests compare the dumped text).
#include "backends/sim/run/result.h"

#include "lib/rtop/collector.h"

namespace offsched::sim {

namespace {

const char* const kModeNames[] = {"hardirq", "softirq", "ksoftirqd", "user", "idle", "service"};
static_assert(sizeof kModeNames / sizeof kModeNames[0] == static_cast<size_t>(CpuMode::Count));

using Pairs = std::vector<std::pair<std::string, uint64_t>>;

nlohmann::ordered_json pairs_to_json(const Pairs& v)
{
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const auto& [k, n] : v) j[k] = n;
    return j;
}

Pairs pairs_from_json(const nlohmann::ordered_json& j)
{
    Pairs v;
    for (auto it = j.begin(); it != j.end(); ++it) v.emplace_back(it.key(), it.value().get<uint64_t>());
    return v;
}

} // namespace

const char* cpu_mode_name(CpuMode m)
{
    const auto i = static_cast<size_t>(m);
    return i < static_cast<size_t>(CpuMode::Count) ? kModeNames[i] : "?";
}

nlohmann::ordered_json to_json(const DesignResult& r)
{
    nlohmann::ordered_json j;
    j["design"] = r.design;
    j["sim_ns"] = r.sim_ns;
    j["legit_attempts"] = r.legit_attempts;
    j["legit_established"] = r.legit_established;
    j["legit_success_ppm"] = r.legit_success_ppm;
    j["legit_per_s"] = r.legit_per_s;
    j["connect_p50_ns"] = r.connect_p50_ns;
    j["connect_p99_ns"] = r.connect_p99_ns;
    j["connect_max_ns"] = r.connect_max_ns;
    j["goodput_bps"] = r.goodput_bps;
    j["legit_bad_segments"] = r.legit_bad_segments;
    j["backscatter_synacks"] = r.backscatter_synacks;
    j["backscatter_pps"] = r.backscatter_pps;
    j["flood_offered"] = r.flood_offered;
    j["flood_fate"] = pairs_to_json(r.flood_fate);
    j["drops"] = pairs_to_json(r.drops);
    nlohmann::ordered_json cores = nlohmann::ordered_json::array();
    for (const CoreUsage& c : r.cores) {
        nlohmann::ordered_json cj;
        cj["core"] = c.core;
        cj["role"] = c.role;
        nlohmann::ordered_json cyc;
        for (uint32_t m = 0; m < static_cast<uint32_t>(CpuMode::Count); ++m)
            cyc[kModeNames[m]] = c.cycles[m];
        cj["cycles"] = cyc;
        cores.push_back(cj);
    }
    j["cores"] = cores;
    j["service_stats"] = pairs_to_json(r.service_stats);
    j["packets_simulated"] = r.packets_simulated;
    j["app_consumed"] = r.app_consumed;
    j["app_output_pps"] = r.app_output_pps;
    j["app_socket_drops"] = r.app_socket_drops;
    j["timer_path"] = r.timer_path;
    j["timer_samples"] = r.timer_samples;
    j["timer_err_p50_ns"] = r.timer_err_p50_ns;
    j["timer_err_p99_ns"] = r.timer_err_p99_ns;
    j["timer_err_max_ns"] = r.timer_err_max_ns;
    j["rt_path"] = r.rt_path;
    j["rt_releases"] = r.rt_releases;
    j["rt_deadline_misses"] = r.rt_deadline_misses;
    j["rt_overruns"] = r.rt_overruns;
    j["rt_max_response_ns"] = r.rt_max_response_ns;
    // Flat keys, so --sweep --csv (integer fields of the top level) carries them too.
    j["rx_delivered"] = r.rx.delivered;
    j["rx_delivered_pps"] = r.rx.delivered_pps;
    j["rx_latency_p50_ns"] = r.rx.latency_p50_ns;
    j["rx_latency_p99_ns"] = r.rx.latency_p99_ns;
    j["rx_latency_max_ns"] = r.rx.latency_max_ns;
    j["rx_os_cycles"] = r.rx.os_cycles;
    j["rx_os_cycles_per_packet"] = r.rx.os_cycles_per_packet;
    j["rx_nic_irqs"] = r.rx.nic_irqs;
    j["rx_doorbells"] = r.rx.doorbells;
    const ChannelResult& c = r.channel;
    if (c.requests_posted || c.requests_refused) { // only a design that posts requests has them
        j["channel_requests_posted"] = c.requests_posted;
        j["channel_requests_refused"] = c.requests_refused;
        j["channel_completions"] = c.completions;
        j["channel_completions_lost"] = c.completions_lost;
        j["channel_err_p50_ns"] = c.err_p50_ns;
        j["channel_err_p99_ns"] = c.err_p99_ns;
        j["channel_err_max_ns"] = c.err_max_ns;
    }
    if (!r.remote_view.is_null()) j[rtop_view::kResultSection] = r.remote_view;
    return j;
}

DesignResult design_result_from_json(const nlohmann::ordered_json& j)
{
    DesignResult r;
    r.design = j.at("design").get<std::string>();
    r.sim_ns = j.at("sim_ns").get<uint64_t>();
    r.legit_attempts = j.at("legit_attempts").get<uint64_t>();
    r.legit_established = j.at("legit_established").get<uint64_t>();
    r.legit_success_ppm = j.at("legit_success_ppm").get<uint64_t>();
    r.legit_per_s = j.at("legit_per_s").get<uint64_t>();
    r.connect_p50_ns = j.at("connect_p50_ns").get<uint64_t>();
    r.connect_p99_ns = j.at("connect_p99_ns").get<uint64_t>();
    r.connect_max_ns = j.at("connect_max_ns").get<uint64_t>();
    r.goodput_bps = j.at("goodput_bps").get<uint64_t>();
    r.legit_bad_segments = j.at("legit_bad_segments").get<uint64_t>();
    r.backscatter_synacks = j.at("backscatter_synacks").get<uint64_t>();
    r.backscatter_pps = j.at("backscatter_pps").get<uint64_t>();
    r.flood_offered = j.at("flood_offered").get<uint64_t>();
    r.flood_fate = pairs_from_json(j.at("flood_fate"));
    r.drops = pairs_from_json(j.at("drops"));
    for (const auto& cj : j.at("cores")) {
        CoreUsage c;
        c.core = cj.at("core").get<uint32_t>();
        c.role = cj.at("role").get<std::string>();
        for (uint32_t m = 0; m < static_cast<uint32_t>(CpuMode::Count); ++m)
            c.cycles[m] = cj.at("cycles").at(kModeNames[m]).get<uint64_t>();
        r.cores.push_back(c);
    }
    r.service_stats = pairs_from_json(j.at("service_stats"));
    r.packets_simulated = j.at("packets_simulated").get<uint64_t>();
    r.app_consumed = j.at("app_consumed").get<uint64_t>();
    r.app_output_pps = j.at("app_output_pps").get<uint64_t>();
    r.app_socket_drops = j.at("app_socket_drops").get<uint64_t>();
    r.timer_path = j.at("timer_path").get<std::string>();
    r.timer_samples = j.at("timer_samples").get<uint64_t>();
    r.timer_err_p50_ns = j.at("timer_err_p50_ns").get<uint64_t>();
    r.timer_err_p99_ns = j.at("timer_err_p99_ns").get<uint64_t>();
    r.timer_err_max_ns = j.at("timer_err_max_ns").get<uint64_t>();
    r.rt_path = j.at("rt_path").get<std::string>();
    r.rt_releases = j.at("rt_releases").get<uint64_t>();
    r.rt_deadline_misses = j.at("rt_deadline_misses").get<uint64_t>();
    r.rt_overruns = j.at("rt_overruns").get<uint64_t>();
    r.rt_max_response_ns = j.at("rt_max_response_ns").get<uint64_t>();
    r.rx.delivered = j.at("rx_delivered").get<uint64_t>();
    r.rx.delivered_pps = j.at("rx_delivered_pps").get<uint64_t>();
    r.rx.latency_p50_ns = j.at("rx_latency_p50_ns").get<uint64_t>();
    r.rx.latency_p99_ns = j.at("rx_latency_p99_ns").get<uint64_t>();
    r.rx.latency_max_ns = j.at("rx_latency_max_ns").get<uint64_t>();
    r.rx.os_cycles = j.at("rx_os_cycles").get<uint64_t>();
    r.rx.os_cycles_per_packet = j.at("rx_os_cycles_per_packet").get<uint64_t>();
    r.rx.nic_irqs = j.at("rx_nic_irqs").get<uint64_t>();
    r.rx.doorbells = j.at("rx_doorbells").get<uint64_t>();
    if (j.contains("channel_requests_posted")) {
        ChannelResult& c = r.channel;
        c.requests_posted = j.at("channel_requests_posted").get<uint64_t>();
        c.requests_refused = j.at("channel_requests_refused").get<uint64_t>();
        c.completions = j.at("channel_completions").get<uint64_t>();
        c.completions_lost = j.at("channel_completions_lost").get<uint64_t>();
        c.err_p50_ns = j.at("channel_err_p50_ns").get<uint64_t>();
        c.err_p99_ns = j.at("channel_err_p99_ns").get<uint64_t>();
        c.err_max_ns = j.at("channel_err_max_ns").get<uint64_t>();
    }
    if (j.contains(rtop_view::kResultSection)) r.remote_view = j.at(rtop_view::kResultSection);
    return r;
}

} // namespace offsched::sim
