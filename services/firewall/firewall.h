// Firewall service: keeps a host reachable under a SYN flood from a core Linux no longer owns.
//
// Each step polls the NIC queues it owns round robin (bursts of up to kBurst, `budget` frames
// in total), parses every frame defensively and decides:
//   malformed            -> dropped, counted by cause (malformed_*)
//   neither IPv4 nor IPv6 (ARP, ...) -> passed or dropped (pass_non_ip)
//   IPv6 neighbour discovery -> passed (pass_neighbour_discovery), as ARP
//   IPv4 or IPv6         -> first matching rule (else default_action): allow | drop |
//                           ratelimit (per-source token bucket, allow while tokens last)
//   allowed TCP SYN      -> global SYN token bucket (syn_limit), then passed, or, for ports the
//                           SYN proxy protects (synproxy: true), answered with a cookie
//   proxied connections  -> handshake with the server on the client's behalf, then translated
//                           in both directions (synproxy.h)
// With the proxy on, the host's own transmitted frames come through the service too (HostTx):
// those of proxied connections are translated, all others go on the wire unchanged.
// Passed frames go to HostPath::pass on the OS cpu chosen by flow hash (one flow, one cpu), and
// each OS cpu that received anything gets one doorbell per step.
// StepResult.packets = frames taken from the NIC; work_units = host frames taken + frames the
// proxy built or rewrote.
#pragma once

#include "model/service.h"
#include "services/common/doorbells.h"
#include "services/common/service_base.h"
#include "services/common/token_bucket.h"
#include "services/firewall/firewall_config.h"
#include "services/firewall/firewall_stats.h"
#include "services/firewall/rules.h"
#include "services/firewall/source_table.h"
#include "services/firewall/synproxy.h"
#include "services/net/parse.h"

namespace offsched {

class Firewall final : public CountedService<firewall::kStatCount, firewall::kStatDescs>,
                       public ConfigSpec<firewall::Config, firewall::kConfigSchema, firewall::set_defaults,
                                         firewall::check, firewall::needs, firewall::reload_check>,
                       private firewall::ProxyOutput {
public:
    static constexpr u32 kBurst = 32;

    Firewall(const ServiceEnv& env, const Config& cfg);

    const char* name() const override { return "firewall"; }
    StepResult step(u32 budget) override;
    u64 stat_value(u32 i) const override; // rule last hits: kept in cycles, shown in ms
    // Rules and limits change from the next frame on; per-rule counters follow their rule
    // (continued_rule), connections and every other counter stay.
    void reload(const void* config, const ConfigData& data) override;

private:
    // Frames bound for one NIC queue, sent together: what the proxy built (in wire_buf_) and
    // the host's frames (borrowed from HostTx until its next take()).
    enum WireKind : u8 { kWireCookie, kWireBuilt, kWireHost };
    static constexpr u32 kWireMax = kBurst;

    Verdict handle(const Frame& f, u32 queue, u64 now);
    void handle_host(const Frame& f, u64 now);
    bool syn_allowed(u64 now);
    static bool is_neighbour_discovery(const net::ParsedFrame& p);
    bool ratelimit_allows(const net::ParsedFrame& p, u32 rule, u64 now);
    Verdict drop(u32 stat); // counts stat
    Verdict pass_up(const Frame& f, u32 cpu);
    u32 cpu_for(const net::FlowKey& k) const;
    u32 wire_room(u32 queue); // index of a free wire slot for queue (flushes first if needed)
    void flush_wire();
    void apply_limits(); // derived state of cfg_'s rules and SYN limit

    // firewall::ProxyOutput
    u8* wire_slot(u32 queue) override;
    void send_wire(u32 queue, u16 len, bool cookie) override;
    void send_host(const u8* data, u16 len, const net::FlowKey& k) override;

    ServiceEnv env_;
    Config cfg_;
    firewall::RuleSets sets_; // cfg_'s rules' prefix sets, in the data image of cfg_'s blob
    u32 os_cpus_;
    u32 rr_ = 0;
    bool proxy_on_ = false;
    TokenBucketParams rule_params_[firewall::kMaxRules];
    TokenBucketParams syn_params_;
    TokenBucket syn_bucket_;
    DoorbellSet doorbells_;
    Frame rx_[kBurst];
    Frame host_[kBurst];
    Frame wire_[kWireMax];
    u8 wire_kind_[kWireMax];
    u8 wire_buf_[kWireMax][firewall::kProxyFrameCap];
    u32 wire_n_ = 0;
    u32 wire_queue_ = 0;
    firewall::SourceTable sources_;
    firewall::SynProxy proxy_;
};

} // namespace offsched
