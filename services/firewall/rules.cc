#include "services/firewall/rules.h"

#include "services/net/headers.h"

namespace offsched::firewall {

namespace {
bool src_in(const IpPrefix& c, const net::ParsedFrame& p)
{
    switch (c.family) {
    case 0: return true; // no source given: both families
    case 4: return p.ip_version == 4 && (p.src_ip & prefix_mask32(c.prefix_len)) == c.v4;
    default: return p.ip_version == 6 && prefix_contains_v6(c, p.src_ip6);
    }
}

bool src_in_set(const PrefixSetView& s, const net::ParsedFrame& p)
{
    return p.ip_version == 4 ? prefix_set_contains_v4(s, p.src_ip) : prefix_set_contains_v6(s, p.src_ip6);
}

bool proto_is(u32 proto, const net::ParsedFrame& p)
{
    switch (proto) {
    case kProtoAny: return true;
    case kProtoTcp: return p.proto == net::kIpProtoTcp;
    case kProtoUdp: return p.proto == net::kIpProtoUdp;
    case kProtoIcmp: return p.proto == (p.ip_version == 6 ? net::kIpProtoIcmpv6 : net::kIpProtoIcmp);
    default: return false;
    }
}
} // namespace

void resolve_rule_sets(const Config& c, const ConfigData& data, RuleSets* out)
{
    out->any = false;
    for (u32 i = 0; i < kMaxRules; ++i) {
        out->of[i] = nullptr;
        out->views[i] = PrefixSetView{};
        if (i >= c.rule_count || !c.rules[i].src_set[0]) continue;
        out->of[i] = &out->views[i];
        out->any = true;
        if (data.image) prefix_set_find(data.image, c.rules[i].src_set, &out->views[i]);
    }
}

bool rule_matches(const Rule& r, const net::ParsedFrame& p)
{
    if (!proto_is(r.proto, p) || !src_in(r.src, p)) return false;
    // Port-less protocols only match a rule that covers every port.
    const bool has_ports = p.proto == net::kIpProtoTcp || p.proto == net::kIpProtoUdp;
    if (has_ports) {
        if (p.dst_port < r.dst_port_min || p.dst_port > r.dst_port_max) return false;
    } else if (r.dst_port_min != 0 || r.dst_port_max != 65535) {
        return false;
    }
    if (r.syn_only) {
        if (!net::is_pure_syn(p)) return false;
    }
    return true;
}

namespace {
// Apart, so a rule list without sets keeps the loop it had before sets existed: the lookup's
// registers would otherwise be saved and restored on every frame.
__attribute__((noinline)) u32 match_rule_with_sets(const Config& c, const RuleSets& sets, const net::ParsedFrame& p)
{
    for (u32 i = 0; i < c.rule_count; ++i) // the set last: the one lookup that may miss the cache
        if (rule_matches(c.rules[i], p) && (!sets.of[i] || src_in_set(*sets.of[i], p))) return i;
    return c.rule_count;
}
} // namespace

u32 match_rule(const Config& c, const RuleSets& sets, const net::ParsedFrame& p)
{
    if (sets.any) return match_rule_with_sets(c, sets, p);
    for (u32 i = 0; i < c.rule_count; ++i)
        if (rule_matches(c.rules[i], p)) return i;
    return c.rule_count;
}

} // namespace offsched::firewall
