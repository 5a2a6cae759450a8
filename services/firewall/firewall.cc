#include "services/firewall/firewall.h"

#include "services/common/queue_poller.h"
#include "services/net/flow_hash.h"
#include "services/net/headers.h"

namespace offsched {

using namespace firewall;

Firewall::Firewall(const ServiceEnv& env, const Config& cfg) : env_(env), cfg_(cfg)
{
    os_cpus_ = steerable_cpus(env.host);
    const u32 khz = env.clock->khz();
    apply_limits();
    resolve_rule_sets(cfg_, env.data, &sets_);
    syn_bucket_.fill(syn_params_, env.clock->cycles());
    sources_.init(cfg.hash_seed);
    // The backend provides what needs() asked for; if it did not, the proxy's ports stay closed
    // (fail closed) rather than the proxy writing where it has no memory.
    const ServiceNeeds n = needs(cfg);
    proxy_on_ = cfg.synproxy && env.arena && env.arena_bytes >= n.arena_bytes && env.host_tx && env.queue_count;
    if (proxy_on_) proxy_.init(cfg, env.arena, khz, stats_, this);
}

StepResult Firewall::step(u32 budget)
{
    StepResult r;
    r.packets = poll_queues(env_, &rr_, budget, rx_, kBurst, [this](u32 q, const Frame* frames, u32 n) {
        const u64 now = env_.clock->cycles();
        NicQueue& nic = *env_.queues[q];
        for (u32 j = 0; j < n; ++j) nic.verdict(frames[j], handle(frames[j], q, now));
        flush_wire(); // before the next rx_burst on q reuses these buffers
    });
    if (env_.host_tx) {
        const u64 now = env_.clock->cycles();
        const u32 n = env_.host_tx->take(host_, budget < kBurst ? budget : kBurst);
        for (u32 j = 0; j < n; ++j) handle_host(host_[j], now);
        flush_wire(); // before the next take()
        r.work_units += n;
    }
    if (proxy_on_) {
        proxy_.sweep(env_.clock->cycles());
        r.work_units += proxy_.take_work();
    }
    if (os_cpus_) stats_[kDoorbells].add(doorbells_.ring(env_.host));
    return r;
}

Verdict Firewall::handle(const Frame& f, u32 queue, u64 now)
{
    count(kRx);
    net::ParsedFrame p;
    const net::ParseError e = net::parse_frame(f.data, f.len, &p, net::IpFamilies::Ipv4AndIpv6);
    if (e == net::ParseError::NotIp) {
        if (!cfg_.pass_non_ip) return drop(kDroppedNonIp);
        return pass_up(f, os_cpus_ ? net::reduce(net::hash_u32(f.rss_hash, cfg_.hash_seed), os_cpus_) : 0);
    }
    if (e != net::ParseError::Ok) {
        count(kDroppedMalformed);
        return drop(malformed_stat(e));
    }
    if (p.ip_version == 6) {
        count(kIpv6Rx);
        if (cfg_.pass_neighbour_discovery && is_neighbour_discovery(p)) {
            count(kNdPassed);
            return pass_up(f, cpu_for(net::flow_key(p)));
        }
    }
    if (cfg_.verify_l4_checksum && !net::l4_checksum_ok(f.data, p)) {
        count(kDroppedMalformed);
        return drop(kMalformedL4Checksum);
    }
    const u32 rule = match_rule(cfg_, sets_, p);
    const u32 action = rule < cfg_.rule_count ? cfg_.rules[rule].action : cfg_.default_action;
    if (rule < cfg_.rule_count) {
        count(rule_stat(rule, kRuleHits));
        stats_[rule_stat(rule, kRuleBytes)].add(f.len);
        stats_[rule_stat(rule, kRuleLastHit)].set(now + 1); // cycles here; ms when read (no divide per frame)
    }
    if (action == kDrop) return drop(kDroppedRule);
    if (action == kRateLimit && !ratelimit_allows(p, rule, now)) return drop(kDroppedRateLimit);
    if (p.proto == net::kIpProtoTcp) {
        if (net::is_pure_syn(p) && !syn_allowed(now)) return drop(kDroppedSynLimit);
        if (synproxy_protects(cfg_, p)) {
            if (!proxy_on_) return drop(kDroppedNoFlow);
            switch (proxy_.from_client(f.data, p, queue, now)) {
            case SynProxy::Verdict::Answered: return Verdict::Answer;
            case SynProxy::Verdict::Dropped: return Verdict::Drop;
            default: break; // translated (if proxied): on to the host
            }
        }
    }
    return pass_up(f, cpu_for(net::flow_key(p)));
}

// A frame the host transmits: proxied connections are translated (or absorbed), the rest goes
// on the wire as it is.
void Firewall::handle_host(const Frame& f, u64 now)
{
    const u32 queue = f.queue < env_.queue_count ? f.queue : 0;
    net::ParsedFrame p;
    if (proxy_on_ && net::parse_frame(f.data, f.len, &p, net::IpFamilies::Ipv4AndIpv6) == net::ParseError::Ok &&
        synproxy_port_of_host(cfg_, p) &&
        proxy_.from_host(f.data, p, queue, now) != SynProxy::Verdict::Forward)
        return;
    const u32 i = wire_room(queue);
    wire_[i] = f;
    wire_kind_[i] = kWireHost;
    ++wire_n_;
}

// RFC 4861's messages as a neighbour sends them: a router or neighbour forwarded it otherwise.
bool Firewall::is_neighbour_discovery(const net::ParsedFrame& p)
{
    return p.proto == net::kIpProtoIcmpv6 && p.icmp_type >= net::kIcmpv6NdFirst && p.icmp_type <= net::kIcmpv6NdLast &&
           p.ttl == 255;
}

bool Firewall::ratelimit_allows(const net::ParsedFrame& p, u32 rule, u64 now)
{
    // An IPv6 source is its /64 (one host's usual allocation, as hashlimit --hashlimit-srcmask
    // 64): per address, one host could take 2^64 buckets.
    const u32 source = p.ip_version == 6 ? static_cast<u32>(p.src_ip6[0] ^ (p.src_ip6[0] >> 32)) : p.src_ip;
    bool evicted = false;
    TokenBucket& b = sources_.lookup(source, rule, rule_params_[rule], now, &evicted);
    if (evicted) count(kBucketEvictions);
    return b.take(rule_params_[rule], now);
}

void Firewall::apply_limits()
{
    const u32 khz = env_.clock->khz();
    for (u32 i = 0; i < cfg_.rule_count; ++i) rule_params_[i].init(cfg_.rules[i].rate_pps, cfg_.rules[i].burst, khz);
    syn_params_.init(cfg_.syn_limit_pps, cfg_.syn_limit_burst, khz);
}

void Firewall::reload(const void* config, const ConfigData& data)
{
    const Config& next = *static_cast<const Config*>(config);
    u64 kept[kMaxRules][3];
    u32 taken = 0;
    bool same_rules = next.rule_count == cfg_.rule_count; // each rule continues the one at its index
    for (u32 j = 0; j < next.rule_count; ++j) {
        const u32 from = continued_rule(cfg_, next.rules[j], &taken);
        same_rules = same_rules && from == j;
        for (u32 k = 0; k < 3; ++k) kept[j][k] = from < kMaxRules ? stats_[rule_stat(from, RuleStat(k))].read() : 0;
    }
    for (u32 j = 0; j < kMaxRules; ++j)
        for (u32 k = 0; k < 3; ++k) stats_[rule_stat(j, RuleStat(k))].set(j < next.rule_count ? kept[j][k] : 0);
    // Per-source buckets are keyed by rule index, which a new list may reassign: unless every
    // rule keeps its place they restart full. The SYN bucket keeps its tokens (clamped to a
    // smaller burst at its next take).
    const u64 secret = cfg_.synproxy_secret;
    const u32 seed = cfg_.hash_seed; // steering and table hashing: connections must stay put
    cfg_ = next;
    cfg_.synproxy_secret = secret;
    cfg_.hash_seed = seed;
    apply_limits();
    resolve_rule_sets(cfg_, data, &sets_);
    if (!same_rules) sources_.init(seed);
    count(kReloads);
}

u64 Firewall::stat_value(u32 i) const
{
    const u64 v = stats_[i].read();
    if (i < kRuleFirst || (i - kRuleFirst) % 3 != kRuleLastHit || v == 0) return v;
    return (v - 1) / env_.clock->khz() + 1;
}

bool Firewall::syn_allowed(u64 now) { return !cfg_.syn_limit || syn_bucket_.take(syn_params_, now); }

Verdict Firewall::drop(u32 stat)
{
    count(stat);
    return Verdict::Drop;
}

// Pass, whether or not the host's ring took it (the host path books a full ring itself); with
// no host path at all, the frame goes nowhere.
Verdict Firewall::pass_up(const Frame& f, u32 cpu)
{
    if (!os_cpus_) return drop(kHostRingFull);
    if (!env_.host->pass(f, cpu)) {
        count(kHostRingFull);
        return Verdict::Pass;
    }
    count(kPassed);
    doorbells_.mark(cpu);
    return Verdict::Pass;
}

u32 Firewall::cpu_for(const net::FlowKey& k) const
{
    return os_cpus_ ? net::reduce(net::flow_hash(k, cfg_.hash_seed), os_cpus_) : 0;
}

u32 Firewall::wire_room(u32 queue)
{
    if (wire_n_ == kWireMax || (wire_n_ && queue != wire_queue_)) flush_wire();
    wire_queue_ = queue;
    return wire_n_;
}

void Firewall::flush_wire()
{
    if (!wire_n_) return;
    const u32 sent = env_.queues[wire_queue_]->tx_burst(wire_, wire_n_);
    for (u32 i = 0; i < wire_n_; ++i) {
        const bool ok = i < sent;
        switch (wire_kind_[i]) {
        case kWireCookie: count(ok ? kCookiesSent : kCookieTxFull); break;
        case kWireBuilt: if (!ok) count(kCookieTxFull); break;
        default: count(ok ? kHostTx : kHostTxFull); break;
        }
    }
    wire_n_ = 0;
}

u8* Firewall::wire_slot(u32 queue) { return wire_buf_[wire_room(queue)]; }

void Firewall::send_wire(u32 queue, u16 len, bool cookie)
{
    if (!len) return; // the builder refused (cannot happen for the proxy's fixed-size frames)
    const u32 i = wire_room(queue);
    wire_[i] = Frame{wire_buf_[i], len, static_cast<u16>(queue), 0, 0};
    wire_kind_[i] = cookie ? kWireCookie : kWireBuilt;
    ++wire_n_;
}

void Firewall::send_host(const u8* data, u16 len, const net::FlowKey& k)
{
    const u32 cpu = cpu_for(k);
    if (!len || !os_cpus_ || !env_.host->pass(Frame{const_cast<u8*>(data), len, 0, 0, 0}, cpu))
        return count(kProxyToHostFull);
    count(kProxyToHost);
    doorbells_.mark(cpu);
}

} // namespace offsched
