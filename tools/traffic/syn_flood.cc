#include "tools/traffic/syn_flood.h"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "services/net/build.h"
#include "services/net/headers.h"
#include "lib/ip_text/ip_text.h"

namespace offsched::traffic {

namespace {

// b inside a (a at least as wide, same network bits).
bool covers(const Ipv4Net& a, const Ipv4Net& b) { return a.prefix_len <= b.prefix_len && net_contains(a, b.addr); }

std::vector<std::string> split(const std::string& s, char sep)
{
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(s);
    while (std::getline(in, item, sep))
        if (!item.empty()) out.push_back(item);
    return out;
}

} // namespace

std::optional<SourceMix> SourceMix::parse(const std::string& spec, const std::string& exclude, std::string* why)
{
    SourceMix m;
    for (const std::string& item : split(exclude, ',')) {
        const auto c = tools::parse_cidr(item, why);
        if (!c) {
            *why = "exclusion '" + item + "': " + *why;
            return std::nullopt;
        }
        m.exclude.push_back(*c);
    }
    for (const std::string& item : split(spec, ',')) {
        const size_t colon = item.find(':');
        const std::string cidr = item.substr(0, colon);
        uint64_t weight = 1;
        if (colon != std::string::npos) {
            const std::string w = item.substr(colon + 1);
            if (w.empty() || w.find_first_not_of("0123456789") != std::string::npos || w.size() > 6 ||
                (weight = std::stoull(w)) == 0) {
                *why = "source '" + item + "': weight must be a whole number from 1 to 999999";
                return std::nullopt;
            }
        }
        const auto c = tools::parse_cidr(cidr, why);
        if (!c) {
            *why = "source '" + item + "': " + *why;
            return std::nullopt;
        }
        for (const Ipv4Net& x : m.exclude)
            if (covers(x, *c)) {
                *why = "source '" + item + "' lies entirely inside exclusion " + tools::format_cidr(x);
                return std::nullopt;
            }
        m.entries.push_back({*c, static_cast<uint32_t>(weight)});
    }
    if (m.entries.empty()) {
        *why = "no source network";
        return std::nullopt;
    }
    return m;
}

bool SourceMix::contains(uint32_t ip) const
{
    bool in = false;
    for (const Entry& e : entries) in = in || net_contains(e.net, ip);
    if (!in) return false;
    for (const Ipv4Net& x : exclude)
        if (net_contains(x, ip)) return false;
    return true;
}

uint32_t SourceMix::pick(std::mt19937_64& rng) const
{
    uint64_t total = 0;
    for (const Entry& e : entries) total += e.weight;
    for (;;) {
        const uint64_t r = rng();
        uint64_t w = (r >> 32) % total;
        const Entry* e = &entries.front();
        for (const Entry& c : entries) {
            if (w < c.weight) {
                e = &c;
                break;
            }
            w -= c.weight;
        }
        const uint32_t host_bits = 32 - e->net.prefix_len;
        const uint32_t ip = e->net.addr | (host_bits ? static_cast<uint32_t>(r) & static_cast<uint32_t>((1ull << host_bits) - 1) : 0);
        bool excluded = false;
        for (const Ipv4Net& x : exclude) excluded = excluded || net_contains(x, ip);
        if (!excluded) return ip; // parse() refused entries that are all excluded, so this ends
    }
}

std::string SourceMix::describe() const
{
    std::string s;
    for (const Entry& e : entries)
        s += (s.empty() ? "" : ",") + tools::format_cidr(e.net) + ":" + std::to_string(e.weight);
    for (const Ipv4Net& x : exclude) s += " -" + tools::format_cidr(x);
    return s;
}

SynFlood::SynFlood(FrameLink& link, const FloodParams& p, uint64_t seed) : link_(link), p_(p), rng_(seed) {}

void SynFlood::start(std::chrono::steady_clock::time_point now) { start_ = now; }

// A uniformly random address inside src6, to dst6.
void SynFlood::pick_ipv6(net::L3Addrs* a)
{
    const IpPrefix& n = *p_.src6;
    a->ipv6 = true;
    for (int w = 0; w < 2; ++w) {
        const int net_bits = std::clamp(static_cast<int>(n.prefix_len) - 64 * w, 0, 64);
        a->src_ip6[w] = n.v6[w] | (rng_() & ~prefix_mask64(static_cast<uint32_t>(net_bits)));
        a->dst_ip6[w] = p_.dst6[w];
    }
}

void SynFlood::tick(std::chrono::steady_clock::time_point now, uint64_t max_burst)
{
    if (!p_.rate_pps) return;
    const uint64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now - start_).count();
    const uint64_t due = static_cast<uint64_t>((static_cast<unsigned __int128>(ns) * p_.rate_pps) / 1000000000u);
    uint8_t frame[128];
    for (uint64_t n = 0; sent_ < due && n < max_burst; ++n) {
        net::TcpSpec s{};
        std::memcpy(s.addr.src_mac, p_.src_mac, 6);
        std::memcpy(s.addr.dst_mac, p_.dst_mac, 6);
        if (p_.src6) pick_ipv6(&s.addr);
        else s.addr.src_ip = p_.sources.pick(rng_);
        const uint64_t r = rng_();
        s.addr.dst_ip = p_.dst_ip;
        s.addr.src_port = static_cast<uint16_t>(1024 + ((r >> 32) % 60000));
        s.addr.dst_port = p_.dst_port;
        s.addr.ip_id = static_cast<uint16_t>(r >> 48);
        s.seq = static_cast<uint32_t>(rng_());
        s.flags = net::kTcpSyn;
        s.window = 64240;
        s.mss = 1460;
        s.wscale = 0xff;
        size_t len = net::build_tcp(s, frame, sizeof frame);
        if (p_.malformed)
            len = malform(static_cast<Malformation>(sent_ % static_cast<uint64_t>(Malformation::Count)), frame, len,
                          sizeof frame);
        link_.send(frame, len);
        ++sent_;
    }
}

} // namespace offsched::traffic
