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

constexpr u32 kRuleNameMax = 32; // with the NUL

struct Rule {
    char name[kRuleNameMax]; // optional; on reload a rule keeps the counters of the rule of that name
    IpPrefix src;     // source network, IPv4 or IPv6; family 0 ("any") matches every source of both
    char src_set[kPrefixSetNameMax]; // "" or a prefix file: the source must also be in that set
    u32 dst_port_min; // inclusive; 0-65535 matches every port (and protocols without ports)
    u32 dst_port_max;
    u32 proto;        // Proto (icmp: ICMP over IPv4, ICMPv6 over IPv6)
    bool syn_only;    // match only TCP segments with SYN set, ACK and RST clear (connection attempts)
    u32 action;       // Action
    u32 rate_pps;     // ratelimit: tokens per second per source address
    u32 burst;        // ratelimit: bucket depth
};

struct Config {
    u32 rule_count;
    Rule rules[kMaxRules];
    u32 default_action;     // Action applied when no rule matches (allow or drop)
    bool pass_non_ip;       // neither IPv4 nor IPv6 (ARP, ...): pass to the OS (true) or drop
    bool pass_neighbour_discovery; // IPv6 ND (ICMPv6 133-137, hop limit 255): pass before the rules
    bool verify_l4_checksum;
    bool syn_limit;         // global SYN token bucket on/off
    u32 syn_limit_pps;
    u32 syn_limit_burst;
    bool synproxy;          // SYN proxy for ports in [synproxy_port_min, synproxy_port_max]
    u32 synproxy_port_min;  // destination ports of the listening services it protects
    u32 synproxy_port_max;
    u32 synproxy_mss;       // MSS the SYN-ACK advertises over IPv4: the server's own
    u32 synproxy_mss6;      // the same over IPv6 (its header is 20 bytes longer)
    u32 synproxy_wscale;    // window scale the SYN-ACK advertises (windows are rescaled if the server's differs)
    bool synproxy_sack;     // offer SACK to clients that offer it (needs timestamps)
    bool synproxy_timestamps; // answer timestamps (they carry window scale, SACK and ECN through the cookie)
    u32 synproxy_connections; // connection table entries per service core (a power of two)
    u32 synproxy_handshake_timeout_ms;
    u32 synproxy_idle_timeout_s;
    u32 synproxy_close_timeout_s;
    u64 synproxy_secret;    // keys the cookies; offschedctl picks a random one unless set
    u32 hash_seed;          // keys flow steering and table hashing
};

inline constexpr const char* kProtoNames[] = {"any", "tcp", "udp", "icmp", nullptr};
inline constexpr const char* kActionNames[] = {"allow", "drop", "ratelimit", nullptr};

inline constexpr FieldDesc kRuleFields[] = {
    fields::str_("name", OFFSCHED_FIELD(Rule, name), kRuleNameMax,
                 "the rule's name: on reload its counters follow the name, unnamed rules follow their content",
                 "empty"),
    fields::prefix_("src", OFFSCHED_FIELD(Rule, src),
                    "source network the rule matches: an IPv4 prefix matches only IPv4, an IPv6 prefix only IPv6 "
                    "(0.0.0.0/0: every IPv4 source, ::/0: every IPv6 source)",
                    "any: every source, IPv4 and IPv6"),
    fields::prefix_set_("src_set", OFFSCHED_FIELD(Rule, src_set),
                        "a file of IPv4/IPv6 prefixes and ranges, one per line, # comments, !prefix excludes (up "
                        "to 1,000,000 entries, longest prefix decides): the source must be in it (and in src); "
                        "relative to the config file",
                        "none"),
    fields::u32_("dst_port_min", OFFSCHED_FIELD(Rule, dst_port_min), 0, 65535, "",
                 "lowest destination port matched (inclusive)", "0: every port"),
    fields::u32_("dst_port_max", OFFSCHED_FIELD(Rule, dst_port_max), 0, 65535, "",
                 "highest destination port matched (inclusive)", "65535: every port"),
    fields::enum_("proto", OFFSCHED_FIELD(Rule, proto), kProtoNames,
                  "protocol matched (icmp: ICMP over IPv4 and ICMPv6 over IPv6)", "any"),
    fields::bool_("syn_only", OFFSCHED_FIELD(Rule, syn_only), "match only TCP connection attempts (SYN without ACK or RST)",
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
                  "pass frames that are neither IPv4 nor IPv6 (ARP, LLDP, ...) to the OS instead of dropping them",
                  "true: ARP keeps the host reachable"),
    fields::bool_("pass_neighbour_discovery", OFFSCHED_FIELD(Config, pass_neighbour_discovery),
                  "pass IPv6 neighbour discovery (ICMPv6 133 to 137 with hop limit 255) to the OS before the rules, as "
                  "pass_non_ip does for ARP",
                  "true: neighbour discovery keeps the host reachable over IPv6"),
    fields::bool_("verify_l4_checksum", OFFSCHED_FIELD(Config, verify_l4_checksum),
                  "drop TCP/UDP frames whose checksum is wrong", "false: the OS verifies again anyway"),
    fields::bool_("syn_limit", OFFSCHED_FIELD(Config, syn_limit), "global token bucket on TCP SYNs (all sources together)",
                  "true"),
    fields::u32_("syn_limit_pps", OFFSCHED_FIELD(Config, syn_limit_pps), 0, 100000000, "pps",
                 "SYNs per second allowed in total", "20000: well above a busy web host's accept rate (assumption)"),
    fields::u32_("syn_limit_burst", OFFSCHED_FIELD(Config, syn_limit_burst), 0, 1000000, "packets", "SYN bucket depth",
                 "2000: 100 ms at syn_limit_pps"),
    fields::bool_("synproxy", OFFSCHED_FIELD(Config, synproxy),
                  "SYN proxy for the protected ports: answer SYNs with cookies, open the connection to the host only for a "
                  "valid ACK, translate sequence numbers and timestamps for its life",
                  "false"),
    fields::u32_("synproxy_port_min", OFFSCHED_FIELD(Config, synproxy_port_min), 1, 65535, "",
                 "lowest destination port the SYN proxy protects", "1"),
    fields::u32_("synproxy_port_max", OFFSCHED_FIELD(Config, synproxy_port_max), 1, 65535, "",
                 "highest protected port (keep below the ephemeral range so outbound connections are untouched)",
                 "1023: privileged ports, below Linux's ip_local_port_range"),
    fields::u32_("synproxy_mss", OFFSCHED_FIELD(Config, synproxy_mss), 536, 9000, "bytes",
                 "MSS the proxy's SYN-ACK advertises over IPv4: set the server's own", "1460: Ethernet, as iptables SYNPROXY --mss 1460"),
    fields::u32_("synproxy_mss6", OFFSCHED_FIELD(Config, synproxy_mss6), 1220, 9000, "bytes",
                 "MSS the proxy's SYN-ACK advertises over IPv6: set the server's own",
                 "1440: Ethernet, as ip6tables SYNPROXY --mss 1440 (1220: IPv6's minimum MTU less headers)"),
    fields::u32_("synproxy_wscale", OFFSCHED_FIELD(Config, synproxy_wscale), 0, 14, "",
                 "window scale the proxy's SYN-ACK advertises; the server's should match (windows are rescaled if not)",
                 "7: Linux's with default tcp_rmem, as iptables SYNPROXY --wscale 7"),
    fields::bool_("synproxy_sack", OFFSCHED_FIELD(Config, synproxy_sack),
                  "offer SACK to clients that offer it (rides in the timestamp cookie)", "true"),
    fields::bool_("synproxy_timestamps", OFFSCHED_FIELD(Config, synproxy_timestamps),
                  "answer TCP timestamps; without them window scaling, SACK and ECN are not offered", "true"),
    fields::u32_("synproxy_connections", OFFSCHED_FIELD(Config, synproxy_connections), 64, 16777216, "connections",
                 "connection table per service core (a power of two; 64 bytes each)",
                 "262144: 16 MB; 2000 closing connections/s for 120 s fit"),
    fields::u32_("synproxy_handshake_timeout_ms", OFFSCHED_FIELD(Config, synproxy_handshake_timeout_ms), 10, 600000, "ms",
                 "how long a connection may wait for the server's SYN-ACK", "5000: two SYN-ACK retransmits of the host (1 s, 3 s)"),
    fields::u32_("synproxy_idle_timeout_s", OFFSCHED_FIELD(Config, synproxy_idle_timeout_s), 1, 432000, "s",
                 "an established connection with no segment for this long is forgotten",
                 "7200: Linux's tcp_keepalive_time, so a connection with keepalives stays"),
    fields::u32_("synproxy_close_timeout_s", OFFSCHED_FIELD(Config, synproxy_close_timeout_s), 1, 3600, "s",
                 "how long a connection is kept after FIN or RST (for retransmits)",
                 "120: conntrack's TIME_WAIT"),
    fields::random_on_deploy(fields::u64_("synproxy_secret", OFFSCHED_FIELD(Config, synproxy_secret), 0,
                                          0xffffffffffffffffull, "",
                                          "key of the cookies; offschedctl picks a random one per deployment unless set",
                                          "fixed so simulations are deterministic")),
    fields::random_on_deploy(fields::u32_("hash_seed", OFFSCHED_FIELD(Config, hash_seed), 0, 0xffffffffull, "",
                                          "key of flow steering and table hashing; offschedctl picks a random one unless set",
                                          "fixed so simulations are deterministic")),
};

inline constexpr Schema kConfigSchema = fields::schema(kConfigFields);

void set_defaults(Config& c);
bool check(const Config& c, ConfigError& err);
// A new config for a running firewall (hitless reload): rules, default action, pass_non_ip,
// checksum verification and the SYN limit may change; the SYN proxy's settings may not (its
// connections and their table live on), and the secret and hash seed carry over (reload()).
bool reload_check(const Config& running, const Config& next, ConfigError& err);
// Which rule of `old` the rule `r` of a reloaded config continues (its counters carry over): the
// one of the same name, or for an unnamed rule the first unnamed one of the same content not
// taken yet (taken: one bit per old rule). kMaxRules when none.
u32 continued_rule(const Config& old, const Rule& r, u32* taken);
// The connection table's memory when the proxy is on, and the host's frames through the service.
ServiceNeeds needs(const Config& c);

} // namespace offsched::firewall

