#include "backends/sim/trace/series_sink.h"

#include <algorithm>

namespace offsched::sim::trace {

SeriesSink::SeriesSink(const TraceLayout& layout)
{
    s_.design = layout.design;
    s_.bin_ns = std::max<uint64_t>(1, (layout.duration_ns + kSeriesBins - 1) / kSeriesBins);
    s_.core_roles = layout.core_roles;
    s_.core_mode_ns.assign(layout.core_roles.size(), std::vector<std::array<uint64_t, kModes>>(kSeriesBins));
    for (auto* v : {&s_.attempts, &s_.established, &s_.gave_up, &s_.accepted, &s_.latency_sum_ns, &s_.latency_max_ns})
        v->assign(kSeriesBins, 0);
    now_.resize(layout.core_roles.size());
}

uint32_t SeriesSink::bin(uint64_t t) const { return static_cast<uint32_t>(std::min<uint64_t>(t / s_.bin_ns, kSeriesBins - 1)); }

// Spreads the core's current mode over the bins from its start to `until`.
void SeriesSink::account(uint32_t core, uint64_t until)
{
    CoreNow& n = now_[core];
    if (!n.known) return;
    const uint32_t m = static_cast<uint32_t>(n.mode);
    uint64_t t = n.since;
    while (t < until) {
        const uint32_t b = bin(t);
        const uint64_t bin_end = b + 1 == kSeriesBins ? until : std::min<uint64_t>(until, (uint64_t{b} + 1) * s_.bin_ns);
        s_.core_mode_ns[core][b][m] += bin_end - t;
        t = bin_end;
    }
    n.since = until;
}

void SeriesSink::core_mode(uint64_t t, uint32_t core, CpuMode mode, const char*)
{
    if (core >= now_.size()) return; // not in the layout: nothing to plot it in
    account(core, t);
    now_[core] = {true, mode, t};
}

void SeriesSink::flow(uint64_t t, uint64_t conn, FlowStep step, uint32_t)
{
    auto [it, fresh] = started_.try_emplace(conn, t);
    if (fresh) ++s_.attempts[bin(t)];
    if (step == FlowStep::Accept) {
        const uint64_t latency = t - it->second;
        ++s_.established[bin(it->second)];
        const uint32_t b = bin(t);
        ++s_.accepted[b];
        s_.latency_sum_ns[b] += latency;
        s_.latency_max_ns[b] = std::max(s_.latency_max_ns[b], latency);
        started_.erase(it);
    } else if (step == FlowStep::GiveUp) {
        ++s_.gave_up[bin(it->second)];
        started_.erase(it);
    }
}

void SeriesSink::finish(uint64_t t)
{
    for (uint32_t c = 0; c < now_.size(); ++c) account(c, t);
}

nlohmann::ordered_json series_to_json(const Series& s)
{
    nlohmann::ordered_json j;
    j["design"] = s.design;
    j["bin_ns"] = s.bin_ns;
    j["cores"] = nlohmann::ordered_json::array();
    for (size_t c = 0; c < s.core_roles.size(); ++c) {
        nlohmann::ordered_json cj;
        cj["core"] = c;
        cj["role"] = s.core_roles[c];
        for (uint32_t m = 0; m < kModes; ++m) {
            auto& col = cj["mode_ns"][cpu_mode_name(static_cast<CpuMode>(m))];
            col = nlohmann::ordered_json::array();
            for (const auto& b : s.core_mode_ns[c]) col.push_back(b[m]);
        }
        j["cores"].push_back(cj);
    }
    j["legit"] = {{"attempts", s.attempts}, {"established", s.established}, {"gave_up", s.gave_up},
                  {"accepted", s.accepted}, {"latency_sum_ns", s.latency_sum_ns}, {"latency_max_ns", s.latency_max_ns}};
    return j;
}

Series series_from_json(const nlohmann::ordered_json& j)
{
    Series s;
    s.design = j.at("design").get<std::string>();
    s.bin_ns = j.at("bin_ns").get<uint64_t>();
    for (const auto& cj : j.at("cores")) {
        s.core_roles.push_back(cj.at("role").get<std::string>());
        std::vector<std::array<uint64_t, kModes>> bins;
        for (uint32_t m = 0; m < kModes; ++m) {
            const auto& col = cj.at("mode_ns").at(cpu_mode_name(static_cast<CpuMode>(m)));
            if (bins.empty()) bins.resize(col.size());
            for (size_t b = 0; b < col.size() && b < bins.size(); ++b) bins[b][m] = col[b].get<uint64_t>();
        }
        s.core_mode_ns.push_back(std::move(bins));
    }
    const auto& l = j.at("legit");
    s.attempts = l.at("attempts").get<std::vector<uint64_t>>();
    s.established = l.at("established").get<std::vector<uint64_t>>();
    s.gave_up = l.at("gave_up").get<std::vector<uint64_t>>();
    s.accepted = l.at("accepted").get<std::vector<uint64_t>>();
    s.latency_sum_ns = l.at("latency_sum_ns").get<std::vector<uint64_t>>();
    s.latency_max_ns = l.at("latency_max_ns").get<std::vector<uint64_t>>();
    return s;
}

} // namespace offsched::sim::trace
