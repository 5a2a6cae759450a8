#include "services/firewall/firewall_config.h"

#include "services/common/config_check.h"
#include "services/firewall/synproxy_table.h"

namespace offsched::firewall {

void set_defaults(Config& c)
{
    __builtin_memset(&c, 0, sizeof c);
    c.rule_count = 0;
    for (Rule& r : c.rules) {
        r.dst_port_min = 0;
        r.dst_port_max = 65535;
        r.proto = kProtoAny;
        r.action = kAllow;
    }
    c.default_action = kAllow;
    c.pass_non_ip = true;
    c.pass_neighbour_discovery = true;
    c.verify_l4_checksum = false;
    c.syn_limit = true;
    c.syn_limit_pps = 20000;
    c.syn_limit_burst = 2000;
    c.synproxy = false;
    c.synproxy_port_min = 1;
    c.synproxy_port_max = 1023;
    c.synproxy_mss = 1460;
    c.synproxy_mss6 = 1440;
    c.synproxy_wscale = 7;
    c.synproxy_sack = true;
    c.synproxy_timestamps = true;
    c.synproxy_connections = 262144;
    c.synproxy_handshake_timeout_ms = 5000;
    c.synproxy_idle_timeout_s = 7200;
    c.synproxy_close_timeout_s = 120;
    c.synproxy_secret = 0x6f666673796e7078ull;
    c.hash_seed = 0x9e3779b9u;
}

namespace {

bool check_rule(const Rule& r, u32 i, ConfigError& err)
{
    if (!prefix_valid(r.src))
        return config_fail(err, "rules[].src", "not a prefix: unknown family, length beyond it, or host bits set", i);
    if (r.dst_port_min > 65535) return config_fail(err, "rules[].dst_port_min", "above 65535", i);
    if (r.dst_port_max > 65535) return config_fail(err, "rules[].dst_port_max", "above 65535", i);
    if (r.dst_port_min > r.dst_port_max)
        return config_fail(err, "rules[].dst_port_min", "greater than dst_port_max", i);
    if (r.proto > kProtoIcmp) return config_fail(err, "rules[].proto", "not one of any, tcp, udp, icmp", i);
    if (r.proto == kProtoIcmp && (r.dst_port_min != 0 || r.dst_port_max != 65535))
        return config_fail(err, "rules[].dst_port_min", "icmp has no ports: leave the range at 0-65535", i);
    if (r.syn_only && r.proto != kProtoTcp && r.proto != kProtoAny)
        return config_fail(err, "rules[].syn_only", "SYN matching needs proto tcp or any", i);
    if (r.action > kRateLimit) return config_fail(err, "rules[].action", "not one of allow, drop, ratelimit", i);
    if (r.action == kRateLimit) {
        if (r.rate_pps == 0) return config_fail(err, "rules[].rate_pps", "must be at least 1 with ratelimit", i);
        if (r.burst == 0) return config_fail(err, "rules[].burst", "must be at least 1 with ratelimit", i);
    }
    return true;
}

} // namespace

bool check(const Config& c, ConfigError& err)
{
    err = ConfigError{};
    if (c.rule_count > kMaxRules) return config_fail(err, "rules", "more than 16 rules");
    for (u32 i = 0; i < c.rule_count; ++i)
        if (!check_rule(c.rules[i], i, err)) return false;
    if (c.default_action > kDrop) return config_fail(err, "default_action", "must be allow or drop");
    if (c.syn_limit) {
        if (c.syn_limit_pps == 0) return config_fail(err, "syn_limit_pps", "must be at least 1 when syn_limit is on");
        if (c.syn_limit_burst == 0)
            return config_fail(err, "syn_limit_burst", "must be at least 1 when syn_limit is on");
    }
    if (c.synproxy) {
        if (c.synproxy_port_min > c.synproxy_port_max)
            return config_fail(err, "synproxy_port_min", "greater than synproxy_port_max");
        const u32 n = c.synproxy_connections;
        if (n & (n - 1)) return config_fail(err, "synproxy_connections", "must be a power of two");
    }
    return check_schema_ranges(kConfigSchema, &c, err);
}

namespace {

bool same_text(const char* a, const char* b, u32 max)
{
    for (u32 i = 0; i < max; ++i) {
        if (a[i] != b[i]) return false;
        if (!a[i]) return true;
    }
    return true;
}

bool same_content(const Rule& a, const Rule& b)
{
    const IpPrefix &x = a.src, &y = b.src;
    const bool same_src = x.family == y.family && x.prefix_len == y.prefix_len && x.v4 == y.v4 && x.v6[0] == y.v6[0] &&
                          x.v6[1] == y.v6[1];
    // The same set file counts as the same content even if its entries changed: a list that an
    // update refreshed is still the rule the operator wrote.
    return same_src && same_text(a.src_set, b.src_set, kPrefixSetNameMax) && a.dst_port_min == b.dst_port_min &&
           a.dst_port_max == b.dst_port_max && a.proto == b.proto && a.syn_only == b.syn_only &&
           a.action == b.action && a.rate_pps == b.rate_pps && a.burst == b.burst;
}

} // namespace

bool reload_check(const Config& a, const Config& b, ConfigError& err)
{
    err = ConfigError{};
    // The proxy's connections outlive the reload: their ports, table and handshake settings stay.
    if (a.synproxy != b.synproxy) return config_fail(err, "synproxy", "cannot be switched while attached (detach and attach)");
    if (!a.synproxy) return true;
    if (a.synproxy_port_min != b.synproxy_port_min || a.synproxy_port_max != b.synproxy_port_max)
        return config_fail(err, "synproxy_port_min", "the proxied ports cannot change while attached (their connections would lose translation)");
    if (a.synproxy_connections != b.synproxy_connections)
        return config_fail(err, "synproxy_connections", "the connection table cannot be resized while attached");
    if (a.synproxy_mss != b.synproxy_mss || a.synproxy_mss6 != b.synproxy_mss6 || a.synproxy_wscale != b.synproxy_wscale || a.synproxy_sack != b.synproxy_sack ||
        a.synproxy_timestamps != b.synproxy_timestamps)
        return config_fail(err, "synproxy_mss", "the proxy's handshake options cannot change while attached (cookies in flight encode them)");
    if (a.synproxy_handshake_timeout_ms != b.synproxy_handshake_timeout_ms || a.synproxy_idle_timeout_s != b.synproxy_idle_timeout_s ||
        a.synproxy_close_timeout_s != b.synproxy_close_timeout_s)
        return config_fail(err, "synproxy_idle_timeout_s", "the proxy's timeouts cannot change while attached");
    return true;
}

u32 continued_rule(const Config& old, const Rule& r, u32* taken)
{
    for (u32 i = 0; i < old.rule_count; ++i) {
        const Rule& o = old.rules[i];
        if (*taken & (1u << i)) continue;
        const bool match = r.name[0] ? same_text(o.name, r.name, kRuleNameMax) : !o.name[0] && same_content(o, r);
        if (!match) continue;
        *taken |= 1u << i;
        return i;
    }
    return kMaxRules;
}

ServiceNeeds needs(const Config& c)
{
    ServiceNeeds n;
    if (!c.synproxy) return n;
    n.host_tx = true; // the server's segments are translated on their way out
    n.arena_bytes = ConnTable::bytes_for(c.synproxy_connections);
    return n;
}

} // namespace offsched::firewall
