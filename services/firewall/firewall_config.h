// Firewall configuration: the POD struct offschedctl sends to the kernel module, and its schema
// (each field declared once: type, range, unit, help, where the default comes from).
#pragma once

#include "model/schema.h"
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

#define OFFSCHED_FW_FIELD(S, f) static_cast<u32>(__builtin_offsetof(S, f))

inline constexpr FieldDesc kRuleFields[] = {
    {"src", FieldType::Cidr, OFFSCHED_FW_FIELD(Rule, src), 0, 0, "", "source network the rule matches",
     "0.0.0.0/0: every source", nullptr, nullptr, 0, 0, 0},
    {"dst_port_min", FieldType::U32, OFFSCHED_FW_FIELD(Rule, dst_port_min), 0, 65535, "",
     "lowest destination port matched (inclusive)", "0: every port", nullptr, nullptr, 0, 0, 0},
    {"dst_port_max", FieldType::U32, OFFSCHED_FW_FIELD(Rule, dst_port_max), 0, 65535, "",
     "highest destination port matched (inclusive)", "65535: every port", nullptr, nullptr, 0, 0, 0},
    {"proto", FieldType::Enum, OFFSCHED_FW_FIELD(Rule, proto), 0, 0, "", "IP protocol matched",
     "any", kProtoNames, nullptr, 0, 0, 0},
    {"syn_only", FieldType::Bool, OFFSCHED_FW_FIELD(Rule, syn_only), 0, 0, "",
     "match only TCP connection attempts (SYN without ACK)", "false", nullptr, nullptr, 0, 0, 0},
    {"action", FieldType::Enum, OFFSCHED_FW_FIELD(Rule, action), 0, 0, "",
     "allow, drop, or ratelimit (allow within a per-source token bucket)", "allow", kActionNames, nullptr, 0, 0, 0},
    {"rate_pps", FieldType::U32, OFFSCHED_FW_FIELD(Rule, rate_pps), 0, 100000000, "pps",
     "ratelimit: packets per second allowed per source address", "0 (required with ratelimit)", nullptr,
     nullptr, 0, 0, 0},
    {"burst", FieldType::U32, OFFSCHED_FW_FIELD(Rule, burst), 0, 1000000, "packets",
     "ratelimit: bucket depth per source address", "0 (required with ratelimit)", nullptr, nullptr, 0, 0, 0},
};

inline constexpr FieldDesc kConfigFields[] = {
    {"rules", FieldType::Array, OFFSCHED_FW_FIELD(Config, rules), 0, kMaxRules, "",
     "ordered rule list: the first matching rule decides", "empty", nullptr, kRuleFields,
     static_cast<u32>(array_size(kRuleFields)), sizeof(Rule), OFFSCHED_FW_FIELD(Config, rule_count)},
    {"default_action", FieldType::Enum, OFFSCHED_FW_FIELD(Config, default_action), 0, 0, "",
     "action when no rule matches (allow or drop)", "allow: a firewall that keeps a host reachable",
     kActionNames, nullptr, 0, 0, 0},
    {"pass_non_ip", FieldType::Bool, OFFSCHED_FW_FIELD(Config, pass_non_ip), 0, 0, "",
     "pass non-IPv4 frames (ARP, IPv6) to the OS instead of dropping them", "true: ARP keeps the host reachable",
     nullptr, nullptr, 0, 0, 0},
    {"verify_l4_checksum", FieldType::Bool, OFFSCHED_FW_FIELD(Config, verify_l4_checksum), 0, 0, "",
     "drop TCP/UDP frames whose checksum is wrong", "false: the OS verifies again anyway", nullptr, nullptr, 0, 0, 0},
    {"syn_limit", FieldType::Bool, OFFSCHED_FW_FIELD(Config, syn_limit), 0, 0, "",
     "global token bucket on TCP SYNs (all sources together)", "true", nullptr, nullptr, 0, 0, 0},
    {"syn_limit_pps", FieldType::U32, OFFSCHED_FW_FIELD(Config, syn_limit_pps), 0, 100000000, "pps",
     "SYNs per second allowed in total", "20000: well above a busy web host's accept rate (assumption)",
     nullptr, nullptr, 0, 0, 0},
    {"syn_limit_burst", FieldType::U32, OFFSCHED_FW_FIELD(Config, syn_limit_burst), 0, 1000000, "packets",
     "SYN bucket depth", "2000: 100 ms at syn_limit_pps", nullptr, nullptr, 0, 0, 0},
    {"syncookies", FieldType::Bool, OFFSCHED_FW_FIELD(Config, syncookies), 0, 0, "",
     "answer SYNs to protected ports with a SYN-ACK cookie; pass a connection up only after a valid ACK",
     "false", nullptr, nullptr, 0, 0, 0},
    {"cookie_port_min", FieldType::U32, OFFSCHED_FW_FIELD(Config, cookie_port_min), 0, 65535, "",
     "lowest destination port protected by cookies", "1", nullptr, nullptr, 0, 0, 0},
    {"cookie_port_max", FieldType::U32, OFFSCHED_FW_FIELD(Config, cookie_port_max), 0, 65535, "",
     "highest protected port (keep below the ephemeral range so outbound connections are untouched)",
     "1023: privileged ports, below Linux's ip_local_port_range", nullptr, nullptr, 0, 0, 0},
    {"cookie_secret", FieldType::U32, OFFSCHED_FW_FIELD(Config, cookie_secret), 0, 0xffffffffull, "",
     "key of the cookie MAC: set a random value per deployment", "fixed so simulations are deterministic",
     nullptr, nullptr, 0, 0, 0},
    {"hash_seed", FieldType::U32, OFFSCHED_FW_FIELD(Config, hash_seed), 0, 0xffffffffull, "",
     "key of flow steering and table hashing", "fixed so simulations are deterministic", nullptr, nullptr, 0, 0, 0},
};

#undef OFFSCHED_FW_FIELD

inline constexpr Schema kConfigSchema{kConfigFields, static_cast<u32>(array_size(kConfigFields))};

void set_defaults(Config& c);
bool check(const Config& c, ConfigError& err);

} // namespace offsched::firewall

