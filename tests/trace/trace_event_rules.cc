#include "tests/trace/trace_event_rules.h"

#include <algorithm>

#include <fmt/format.h>

namespace offsched::test {

namespace {

struct Interval {
    double start, end;
    std::string name;
};

struct FlowChain {
    std::string phases;
    double last_ts = -1;
    std::vector<std::pair<std::string, double>> points; // track, ts
};

struct AsyncTrack {
    std::vector<std::string> open;
    double last_ts = -1;
};

} // namespace

TraceCheck check_trace_events(const nlohmann::json& doc)
{
    TraceCheck r;
    auto bad = [&](size_t i, const std::string& why) {
        if (r.violations.size() < 50) r.violations.push_back(fmt::format("event {}: {}", i, why));
    };
    const nlohmann::json* events = &doc;
    if (doc.is_object()) {
        if (!doc.contains("traceEvents") || !doc["traceEvents"].is_array()) {
            r.violations.push_back("top-level object without a traceEvents array");
            return r;
        }
        events = &doc["traceEvents"];
    } else if (!doc.is_array()) {
        r.violations.push_back("top level is neither an object nor an array");
        return r;
    }

    std::map<std::string, double> last_ts;                   // per track
    std::map<std::string, std::vector<Interval>> open, done; // per track: B stack, closed slices
    std::map<std::string, FlowChain> flows;                  // per flow id
    std::map<std::string, AsyncTrack> asyncs;                // per pid/cat/id

    for (size_t i = 0; i < events->size(); ++i) {
        const auto& e = (*events)[i];
        if (!e.is_object() || !e.contains("ph") || !e["ph"].is_string()) {
            bad(i, "no string ph");
            continue;
        }
        const std::string ph = e["ph"];
        ++r.by_phase[ph];
        if (!e.contains("pid") || !e["pid"].is_number_integer() || (e.contains("tid") && !e["tid"].is_number_integer())) {
            bad(i, "pid/tid missing or not an integer");
            continue;
        }
        const std::string track = fmt::format("{}/{}", e["pid"].get<int64_t>(), e.value("tid", int64_t{0}));
        if (ph == "M") {
            if (e.value("name", "") == "thread_name") r.thread_names[track] = e["args"].value("name", "");
            continue;
        }
        if (!e.contains("ts") || !e["ts"].is_number() || e["ts"].get<double>() < 0) {
            bad(i, "ts missing, not a number or negative");
            continue;
        }
        const double ts = e["ts"].get<double>();
        if (ph == "B" || ph == "E" || ph == "X" || ph == "C" || ph == "i" || ph == "I") {
            const std::string key = ph == "C" ? track + "/C/" + e.value("name", "") : track;
            if (last_ts.count(key) && ts < last_ts[key]) bad(i, fmt::format("ts {} goes back on track {} (was {})", ts, key, last_ts[key]));
            last_ts[key] = ts;
        }
        if (ph == "B") {
            if (!e.contains("name") || !e["name"].is_string()) bad(i, "B without a name");
            open[track].push_back({ts, 0, e.value("name", "")});
        } else if (ph == "E") {
            auto& st = open[track];
            if (st.empty()) {
                bad(i, "E with no open B on " + track);
                continue;
            }
            Interval s = st.back();
            st.pop_back();
            s.end = ts;
            done[track].push_back(s);
        } else if (ph == "X") {
            if (!e.contains("dur") || !e["dur"].is_number() || e["dur"].get<double>() < 0) bad(i, "X without a non-negative dur");
            else done[track].push_back({ts, ts + e["dur"].get<double>(), e.value("name", "")});
        } else if (ph == "C") {
            if (!e.contains("args") || !e["args"].is_object() || e["args"].empty()) bad(i, "counter without args");
            else
                for (const auto& [k, v] : e["args"].items()) {
                    if (!v.is_number()) bad(i, "counter value " + k + " is not a number");
                    else r.counters[track.substr(0, track.find('/')) + "/" + e.value("name", "") + "/" + k].push_back(v.get<double>());
                }
        } else if (ph == "s" || ph == "t" || ph == "f") {
            if (!e.contains("id")) {
                bad(i, "flow event without id");
                continue;
            }
            FlowChain& f = flows[e.value("cat", "") + "/" + e["id"].dump()];
            if (ts < f.last_ts) bad(i, "flow " + e["id"].dump() + " goes back in time");
            f.last_ts = ts;
            f.phases += ph;
            f.points.emplace_back(track, ts);
        } else if (ph == "b" || ph == "e") {
            if (!e.contains("id") || !e.contains("cat")) {
                bad(i, "async event without id/cat");
                continue;
            }
            AsyncTrack& a = asyncs[fmt::format("{}/{}/{}", e["pid"].get<int64_t>(), e["cat"].dump(), e["id"].dump())];
            if (ts < a.last_ts) bad(i, "async id " + e["id"].dump() + " goes back in time");
            a.last_ts = ts;
            if (ph == "b") a.open.push_back(e.value("name", ""));
            else if (a.open.empty()) bad(i, "async e without b");
            else {
                if (a.open.back() != e.value("name", "")) bad(i, "async e name '" + e.value("name", "") + "' closes '" + a.open.back() + "'");
                a.open.pop_back();
                if (a.open.empty()) ++r.async_completed;
            }
        }
    }

    for (const auto& [track, st] : open)
        if (!st.empty()) r.violations.push_back(fmt::format("track {}: {} slice(s) never closed", track, st.size()));
    // Proper nesting: sorted by start (longer first), each slice ends inside every slice it starts in.
    for (auto& [track, slices] : done) {
        std::sort(slices.begin(), slices.end(), [](const Interval& a, const Interval& b) {
            return a.start != b.start ? a.start < b.start : a.end > b.end;
        });
        std::vector<Interval> stack;
        for (const Interval& s : slices) {
            while (!stack.empty() && stack.back().end <= s.start) stack.pop_back();
            if (!stack.empty() && s.end > stack.back().end)
                r.violations.push_back(fmt::format("track {}: slice '{}' [{}, {}] overlaps '{}' [{}, {}]", track, s.name, s.start, s.end,
                                                   stack.back().name, stack.back().start, stack.back().end));
            stack.push_back(s);
            r.slice_time[track][s.name] += s.end - s.start;
        }
    }
    for (const auto& [id, f] : flows) {
        const bool shape = f.phases.size() >= 2 && f.phases.front() == 's' && f.phases.back() == 'f' &&
                           f.phases.find_first_of("sf", 1) == f.phases.size() - 1;
        if (!shape) r.violations.push_back("flow " + id + " is '" + f.phases + "', not s t* f");
        else ++r.flows_completed;
        for (const auto& [track, ts] : f.points) {
            const auto& slices = done[track];
            const bool bound = std::any_of(slices.begin(), slices.end(), [&](const Interval& s) { return s.start <= ts && ts <= s.end; });
            if (!bound) r.violations.push_back(fmt::format("flow {} point at {} on {} is in no slice", id, ts, track));
        }
    }
    for (const auto& [id, a] : asyncs)
        if (!a.open.empty()) r.violations.push_back("async " + id + " left open");
    return r;
}

} // namespace offsched::test
