// Firewall service: keeps a host reachable under a SYN flood from a core Linux no longer owns.
//
// Each step polls the NIC queues it owns round robin (bursts of up to kBurst, `budget` frames
// in total), parses every frame defensively and decides:
//   malformed            -> dropped, counted by cause (malformed_*)
//   not IPv4 (ARP, ...)  -> passed or dropped (pass_non_ip)
//   IPv4                 -> first matching rule (else default_action): allow | drop |
//                           ratelimit (per-source token bucket, allow while tokens last)
//   allowed TCP SYN      -> global SYN token bucket (syn_limit), then either passed, or, for
//                           ports in [cookie_port_min, cookie_port_max] with syncookies on,
//                           answered by the firewall itself (SYN-ACK with a cookie, tx_burst on
//                           the queue the SYN came from). See docs/SERVICES.md for what is
//                           passed to the OS when the client's ACK returns a valid cookie.
// Passed frames go to HostPath::pass on the OS cpu chosen by flow hash (one flow, one cpu), and
// each OS cpu that received anything gets one doorbell per step.
// StepResult.packets = frames taken from the NIC; work_units = SYN-ACK cookies transmitted.
#pragma once

#include "model/service.h"
#include "services/common/doorbells.h"
#include "services/common/service_base.h"
#include "services/common/token_bucket.h"
#include "services/firewall/firewall_config.h"
#include "services/firewall/firewall_stats.h"
#include "services/firewall/flow_table.h"
#include "services/firewall/source_table.h"
#include "services/net/parse.h"

namespace offsched {

class Firewall final : public CountedService<firewall::kStatCount, firewall::kStatDescs>,
                     public ConfigSpec<firewall::Config, firewall::kConfigSchema, firewall::set_defaults, firewall::check> {
public:

    static constexpr u32 kBurst = 32;

    Firewall(const ServiceEnv& env, const Config& cfg);

    const char* name() const override { return "firewall"; }
    StepResult step(u32 budget) override;

private:
    static constexpr u16 kReplyCap = 64; // SYN-ACK / reconstructed SYN: 58 bytes

    void handle(const Frame& f, u32 queue, u64 now);
    void handle_protected(const Frame& f, const net::ParsedFrame& p, u32 queue, u64 now);
    bool syn_allowed(u64 now);
    bool ratelimit_allows(const net::ParsedFrame& p, u32 rule, u64 now);
    void queue_cookie(const net::ParsedFrame& p, u32 queue, u64 now);
    void flush_tx(u32 queue);
    void pass_reconstructed_syn(const net::ParsedFrame& p, u8 mss_index, u32 cpu);
    void pass_up(const Frame& f, u32 cpu);
    u32 cpu_for(const net::ParsedFrame& p) const;
    u64 cookie_slot(u64 now) const { return now / slot_cycles_; }

    ServiceEnv env_;
    Config cfg_;
    u32 os_cpus_;
    u32 rr_ = 0;
    u64 slot_cycles_;
    TokenBucketParams rule_params_[firewall::kMaxRules];
    TokenBucketParams syn_params_;
    TokenBucket syn_bucket_;
    DoorbellSet doorbells_;
    u32 tx_count_ = 0;
    Frame rx_[kBurst];
    Frame tx_[kBurst];
    u8 tx_buf_[kBurst][kReplyCap];
    u8 syn_buf_[kReplyCap];
    firewall::SourceTable sources_;
    firewall::FlowTable flows_;
};

} // namespace offsched
