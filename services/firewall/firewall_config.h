// Firewall configuration: the POD struct offschedctl sends to the kernel module, and its schema
// (each field declared once: type, range, unit, help, where the default comes from).
#pragma once

#include "model/schema.h"
#include "services/common/fields.h"
#include "model/service.h"

namespace offsched::firewall {

enum Proto : u32 { kProtoAny = 0, kProtoTcp, kProtoUdp, kProtoIcmp };
enum Action : u32 { kAllow = 0, kDrop, kRateLimit };

constexpr u32 kMaxRules = 16;

struct Rule {
    Ipv4Cidr src;     // source network; 0.0.0.0/0 matches every source
    u32 dst_port_min; // inclusive; 0-65535 matches every port (and protocols without ports)
    u32 dst_port_max;
    u32 proto;        // Proto
    bool syn_only;    // match only TCP segments with SYN set and ACK clear (connection attempts)
    u32 action;       // Action
    u32 rate_pps;     // ratelimit: tokens per second per source address
    u32 burst;        // ratelimit: bucket depth
};

struct Config {
    u32 rule_count;
    Rule rules[kMaxRules];
    u32 default_action;     // Action applied when no rule matches (allow or drop)
    bool pass_non_ip;       // ARP, IPv6...: pass to the OS (true) or drop
    bool verify_l4_checksum;
    bool syn_limit;         // global SYN token bucket on/off
    u32 syn_limit_pps;
    u32 syn_limit_burst;
    bool syncookies;        // answer SYNs with cookies (SYNPROXY-like), see docs/SERVICES.md
    u32 cookie_port_min;    // destination ports protected by cookies (listening services)
    u32 cookie_port_max;
    u32 cookie_secret;      // keys the cookie MAC; set per deployment
    u32 hash_seed;          // keys flow steering and table hashing
};

inline constexpr const char* kProtoNames[] = {"any", "tcp", "udp", "icmp", nullptr};
inline constexpr const char* kActionNames[] = {"allow", "drop", "ratelimit", nullptr};

inline constexpr FieldDesc kRuleFields[] = {
    fields::cidr_("src", OFFSCHED_FIELD(Rule, src), "source network the rule matches", "0.0.0.0/0: every source"),
    fields::u32_("dst_port_min", OFFSCHED_FIELD(Rule, dst_port_min), 0, 65535, "",
                 "lowest destination port matched (inclusive)", "0: every port"),
    fields::u32_("dst_port_max", OFFSCHED_FIELD(Rule, dst_port_max), 0, 65535, "",
                 "highest destination port matched (inclusive)", "65535: every port"),
    fields::enum_("proto", OFFSCHED_FIELD(Rule, proto), kProtoNames, "IP protocol matched", "any"),
    fields::bool_("syn_only", OFFSCHED_FIELD(Rule, syn_only), "match only TCP connection attempts (SYN without ACK)",
                  "false"),
    fields::enum_("action", OFFSCHED_FIELD(Rule, action), kActionNames,
                  "allow, drop, or ratelimit (allow within a per-source token bucket)", "allow"),
    fields::u32_("rate_pps", OFFSCHED_FIELD(Rule, rate_pps), 0, 100000000, "pps",
                 "ratelimit: packets per second allowed per source address", "0 (required with ratelimit)"),
    fields::u32_("burst", OFFSCHED_FIELD(Rule, burst), 0, 1000000, "packets", "ratelimit: bucket depth per source address",
                 "0 (required with ratelimit)"),
};

inline constexpr FieldDesc kConfigFields[] = {
    fields::array_("rules", OFFSCHED_FIELD(Config, rules), OFFSCHED_FIELD(Config, rule_count), sizeof(Rule), 0,
                   kMaxRules, kRuleFields, "ordered rule list: the first matching rule decides", "empty"),
    fields::enum_("default_action", OFFSCHED_FIELD(Config, default_action), kActionNames,
                  "action when no rule matches (allow or drop)", "allow: a firewall that keeps a host reachable"),
    fields::bool_("pass_non_ip", OFFSCHED_FIELD(Config, pass_non_ip),
                  "pass non-IPv4 frames (ARP, IPv6) to the OS instead of dropping them",
                  "true: ARP keeps the host reachable"),
    fields::bool_("verify_l4_checksum", OFFSCHED_FIELD(Config, verify_l4_checksum),
                  "drop TCP/UDP frames whose checksum is wrong", "false: the OS verifies again anyway"),
    fields::bool_("syn_limit", OFFSCHED_FIELD(Config, syn_limit), "global token bucket on TCP SYNs (all sources together)",
                  "true"),
    fields::u32_("syn_limit_pps", OFFSCHED_FIELD(Config, syn_limit_pps), 0, 100000000, "pps",
                 "SYNs per second allowed in total", "20000: well above a busy web host's accept rate (assumption)"),
    fields::u32_("syn_limit_burst", OFFSCHED_FIELD(Config, syn_limit_burst), 0, 1000000, "packets", "SYN bucket depth",
                 "2000: 100 ms at syn_limit_pps"),
    fields::bool_("syncookies", OFFSCHED_FIELD(Config, syncookies),
                  "answer SYNs to protected ports with a SYN-ACK cookie; pass a connection up only after a valid ACK",
                  "false"),
    fields::u32_("cookie_port_min", OFFSCHED_FIELD(Config, cookie_port_min), 0, 65535, "",
                 "lowest destination port protected by cookies", "1"),
    fields::u32_("cookie_port_max", OFFSCHED_FIELD(Config, cookie_port_max), 0, 65535, "",
                 "highest protected port (keep below the ephemeral range so outbound connections are untouched)",
                 "1023: privileged ports, below Linux's ip_local_port_range"),
    fields::u32_("cookie_secret", OFFSCHED_FIELD(Config, cookie_secret), 0, 0xffffffffull, "",
                 "key of the cookie MAC: set a random value per deployment", "fixed so simulations are deterministic"),
    fields::u32_("hash_seed", OFFSCHED_FIELD(Config, hash_seed), 0, 0xffffffffull, "",
                 "key of flow steering and table hashing", "fixed so simulations are deterministic"),
};

inline constexpr Schema kConfigSchema = fields::schema(kConfigFields);

void set_defaults(Config& c);
bool check(const Config& c, ConfigError& err);

} // namespace offsched::firewall

