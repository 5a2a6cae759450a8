#include "tools/traffic/traffic_report.h"

#include <algorithm>

#include "services/net/headers.h"
#include "services/net/parse.h"

namespace offsched::traffic {

namespace {

// Nearest-rank percentile of sorted values; 0 when empty.
int64_t percentile(const std::vector<int64_t>& sorted, unsigned pct)
{
    if (sorted.empty()) return 0;
    const size_t rank = (sorted.size() * pct + 99) / 100;
    return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

nlohmann::ordered_json summary(std::vector<int64_t> v)
{
    std::sort(v.begin(), v.end());
    return {{"count", v.size()}, {"p50", percentile(v, 50)}, {"p90", percentile(v, 90)},
            {"p99", percentile(v, 99)}, {"max", v.empty() ? 0 : v.back()}};
}

} // namespace

nlohmann::ordered_json make_report(const std::vector<Connection>& conns, const LinkCounts& counts)
{
    uint64_t attempts = 0, completed = 0, syns = 0;
    std::vector<int64_t> connect, complete;
    for (const Connection& c : conns) {
        if (!c.counted) continue;
        ++attempts;
        syns += c.syns;
        if (c.connect_ns >= 0) connect.push_back(c.connect_ns);
        if (c.state == Connection::State::Done) {
            ++completed;
            complete.push_back(c.complete_ns);
        }
    }
    nlohmann::ordered_json j;
    j["duration_ns"] = counts.duration_ns;
    j["legit_attempts"] = attempts;
    j["legit_completed"] = completed;
    j["legit_success_ppm"] = attempts ? completed * 1000000 / attempts : 0;
    j["legit_syns_sent"] = syns;
    j["connect_ns"] = summary(connect);
    j["complete_ns"] = summary(complete);
    j["flood_sent"] = counts.flood_sent;
    j["flood_malformed"] = counts.flood_malformed;
    j["flood_ipv6"] = counts.flood_ipv6;
    j["flood_pps_achieved"] = counts.duration_ns ? counts.flood_sent * 1000000000ull / counts.duration_ns : 0;
    j["replies_to_flood"] = counts.replies_to_flood;
    j["frames_sent"] = counts.frames_sent;
    j["frames_received"] = counts.frames_received;
    j["arp_replies"] = counts.arp_replies;
    j["nd_advertisements"] = counts.nd_advertisements;
    j["send_errors"] = counts.send_errors;
    return j;
}

ReplyTally::Second& ReplyTally::at(Clock::time_point now)
{
    const auto d = now - start_;
    const size_t i = d.count() < 0 ? 0 : static_cast<size_t>(std::chrono::duration_cast<std::chrono::seconds>(d).count());
    if (seconds_.size() <= i) seconds_.resize(i + 1);
    return seconds_[i];
}

void ReplyTally::reply(Clock::time_point now, Kind k)
{
    Second& s = at(now);
    switch (k) {
    case Kind::SynAck: ++s.synack; break;
    case Kind::Rst: ++s.rst; break;
    case Kind::Other: ++s.other; break;
    }
}

ReplyTally::Kind ReplyTally::classify(const uint8_t* frame, size_t len)
{
    net::ParsedFrame p{};
    if (len > 0xffff ||
        net::parse_frame(frame, static_cast<uint16_t>(len), &p, net::IpFamilies::Ipv4AndIpv6) != net::ParseError::Ok ||
        p.proto != net::kIpProtoTcp)
        return Kind::Other;
    if (p.tcp_flags & net::kTcpRst) return Kind::Rst;
    if ((p.tcp_flags & (net::kTcpSyn | net::kTcpAck)) == (net::kTcpSyn | net::kTcpAck)) return Kind::SynAck;
    return Kind::Other;
}

ReplyTally::Second ReplyTally::total() const
{
    Second t;
    for (const Second& s : seconds_) {
        t.sent += s.sent;
        t.synack += s.synack;
        t.rst += s.rst;
        t.other += s.other;
    }
    return t;
}

nlohmann::ordered_json ReplyTally::report() const
{
    const Second t = total();
    nlohmann::ordered_json j;
    j["synack"] = t.synack;
    j["rst"] = t.rst;
    j["other"] = t.other;
    nlohmann::ordered_json per = nlohmann::ordered_json::array();
    for (size_t i = 0; i < seconds_.size(); ++i)
        per.push_back({{"t", i}, {"sent", seconds_[i].sent}, {"synack", seconds_[i].synack},
                       {"rst", seconds_[i].rst}, {"other", seconds_[i].other}});
    j["per_second"] = per;
    return j;
}

} // namespace offsched::traffic
