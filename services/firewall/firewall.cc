#include "services/firewall/firewall.h"

#include "services/common/queue_poller.h"
#include "services/firewall/rules.h"
#include "services/firewall/syn_cookie.h"
#include "services/net/flow_hash.h"
#include "services/net/headers.h"

namespace offsched {

using namespace firewall;

Firewall::Firewall(const ServiceEnv& env, const Config& cfg) : env_(env), cfg_(cfg)
{
    os_cpus_ = steerable_cpus(env.host);
    const u32 khz = env.clock->khz();
    slot_cycles_ = static_cast<u64>(khz) * 1000u * kCookieSlotSeconds;
    for (u32 i = 0; i < cfg.rule_count; ++i) rule_params_[i].init(cfg.rules[i].rate_pps, cfg.rules[i].burst, khz);
    syn_params_.init(cfg.syn_limit_pps, cfg.syn_limit_burst, khz);
    syn_bucket_.fill(syn_params_, env.clock->cycles());
    sources_.init(cfg.hash_seed);
    flows_.init(cfg.hash_seed ^ 0x5bd1e995u);
}

StepResult Firewall::step(u32 budget)
{
    StepResult r;
    r.packets = poll_queues(env_, &rr_, budget, rx_, kBurst, [this, &r](u32 q, const Frame* frames, u32 n) {
        const u64 now = env_.clock->cycles();
        for (u32 j = 0; j < n; ++j) handle(frames[j], q, now);
        r.work_units += tx_count_;
        flush_tx(q);
    });
    if (os_cpus_) stats_[kDoorbells].add(doorbells_.ring(env_.host));
    return r;
}

void Firewall::handle(const Frame& f, u32 queue, u64 now)
{
    count(kRx);
    net::ParsedFrame p;
    const net::ParseError e = net::parse_frame(f.data, f.len, &p);
    if (e == net::ParseError::NotIpv4) {
        if (!cfg_.pass_non_ip) return count(kDroppedNonIp);
        return pass_up(f, os_cpus_ ? net::reduce(net::hash_u32(f.rss_hash, cfg_.hash_seed), os_cpus_) : 0);
    }
    if (e != net::ParseError::Ok) {
        count(kDroppedMalformed);
        return count(malformed_stat(e));
    }
    if (cfg_.verify_l4_checksum && !net::l4_checksum_ok(f.data, p)) {
        count(kDroppedMalformed);
        return count(kMalformedL4Checksum);
    }
    const u32 rule = match_rule(cfg_, p);
    const u32 action = rule < cfg_.rule_count ? cfg_.rules[rule].action : cfg_.default_action;
    if (rule < cfg_.rule_count) count(kRuleHitsFirst + rule);
    if (action == kDrop) return count(kDroppedRule);
    if (action == kRateLimit && !ratelimit_allows(p, rule, now)) return count(kDroppedRateLimit);
    if (p.proto == net::kIpProtoTcp) {
        if (cfg_.syncookies && p.dst_port >= cfg_.cookie_port_min && p.dst_port <= cfg_.cookie_port_max)
            return handle_protected(f, p, queue, now);
        const bool syn = (p.tcp_flags & (net::kTcpSyn | net::kTcpAck)) == net::kTcpSyn;
        if (syn && !syn_allowed(now)) return;
    }
    pass_up(f, cpu_for(p));
}

bool Firewall::ratelimit_allows(const net::ParsedFrame& p, u32 rule, u64 now)
{
    bool evicted = false;
    TokenBucket& b = sources_.lookup(p.src_ip, rule, rule_params_[rule], now, &evicted);
    if (evicted) count(kBucketEvictions);
    return b.take(rule_params_[rule], now);
}

bool Firewall::syn_allowed(u64 now)
{
    if (!cfg_.syn_limit || syn_bucket_.take(syn_params_, now)) return true;
    count(kDroppedSynLimit);
    return false;
}

void Firewall::pass_up(const Frame& f, u32 cpu)
{
    if (!os_cpus_ || !env_.host->pass(f, cpu)) return count(kHostRingFull);
    count(kPassed);
    doorbells_.mark(cpu);
}

u32 Firewall::cpu_for(const net::ParsedFrame& p) const
{
    if (!os_cpus_) return 0;
    const net::FlowKey k{p.src_ip, p.dst_ip, p.src_port, p.dst_port, p.proto};
    return net::reduce(net::flow_hash(k, cfg_.hash_seed), os_cpus_);
}

} // namespace offsched
