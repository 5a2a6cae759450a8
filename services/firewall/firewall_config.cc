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
    c.verify_l4_checksum = false;
    c.syn_limit = true;
    c.syn_limit_pps = 20000;
    c.syn_limit_burst = 2000;
    c.synproxy = false;
    c.synproxy_port_min = 1;
    c.synproxy_port_max = 1023;
    c.synproxy_mss = 1460;
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
    if (r.src.prefix_len > 32) return config_fail(err, "rules[].src", "prefix length above 32", i);
    const u32 host_mask = r.src.prefix_len == 0 ? ~0u : (r.src.prefix_len == 32 ? 0u : ~0u >> r.src.prefix_len);
    if (r.src.addr & host_mask) return config_fail(err, "rules[].src", "address has bits set below the prefix", i);
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

ServiceNeeds needs(const Config& c)
{
    ServiceNeeds n;
    if (!c.synproxy) return n;
    n.host_tx = true; // the server's segments are translated on their way out
    n.arena_bytes = ConnTable::bytes_for(c.synproxy_connections);
    return n;
}

} // namespace offsched::firewall
