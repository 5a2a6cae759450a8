// The firewall with the SYN proxy and a ratelimit rule, fed arbitrary bursts (IPv4, IPv6 and
// anything else) and reloaded halfway with rules the input picks (an IPv4 or an IPv6 prefix): no overread, no UB, and every frame taken is accounted for exactly
// once by the counters.
#include <cstdlib>
#include <memory>

#include "fakes.h"
#include "fuzz_frames.h"
#include "services/firewall/firewall.h"

using namespace offsched;
using namespace offsched::test;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FakeEnv e(1, 4, 1000);
    Firewall::Config c;
    Firewall::defaults(c);
    c.synproxy = true;
    c.synproxy_connections = 64;
    c.syn_limit_burst = 4;
    c.rule_count = 1;
    c.rules[0].action = firewall::kRateLimit;
    c.rules[0].rate_pps = 10;
    c.rules[0].burst = 3;
    c.rules[0].dst_port_min = 1000;
    e.provide(Firewall::needs(c));
    auto fw = std::make_unique<Firewall>(e.env, c);
    for (auto& f : split_frames(data, size)) e.queues[0].push(f);
    // Halfway, a hitless reload: a drop rule for a network the input names goes in front, the
    // default action is the input's; accounting must hold across it.
    Firewall::Config next = c;
    if (size >= 6) {
        next.rules[1] = c.rules[0];
        next.rules[0] = firewall::Rule{};
        next.rules[0].src = data[2] & 1 ? ipv6_prefix(u64{data[0]} << 56 | u64{data[1]} << 48, 0, 16)
                                          : ipv4_prefix(u32{data[0]} << 24 | u32{data[1]} << 16, 16);
        next.rules[0].dst_port_max = 65535;
        next.rules[0].action = firewall::kDrop;
        next.rule_count = 2;
        next.default_action = data[5] & 1 ? firewall::kDrop : firewall::kAllow;
    }
    ConfigError err;
    if (!Firewall::validate(next, err) || !firewall::reload_check(c, next, err)) abort();
    const size_t reload_at = e.queues[0].pending.size() / 2;
    bool reloaded = false;
    u64 taken = 0;
    while (!e.queues[0].pending.empty()) {
        if (!reloaded && e.queues[0].pending.size() <= reload_at) {
            fw->reload(&next, {});
            reloaded = true;
        }
        taken += fw->step(16).packets;
        e.clock.now += 100;
    }
    u64 rule_hits = 0;
    for (u32 i = 0; i < firewall::kMaxRules; ++i) rule_hits += fw->stat_value(firewall::rule_stat(i, firewall::kRuleHits));
    if (rule_hits > taken) abort();
    const u64 decided = stat(*fw, "passed") + stat(*fw, "host_ring_full") + stat(*fw, "dropped_rule") +
                        stat(*fw, "dropped_ratelimit") + stat(*fw, "dropped_syn_limit") + stat(*fw, "dropped_malformed") +
                        stat(*fw, "dropped_non_ip") + stat(*fw, "dropped_no_flow") + stat(*fw, "syn_received") +
                        stat(*fw, "cookie_invalid") + stat(*fw, "cookie_valid") + stat(*fw, "cookie_retrans") +
                        stat(*fw, "proxy_early_data");
    if (stat(*fw, "rx") != taken || decided != taken) abort();
    // One verdict per frame taken (NicQueue::verdict), Pass for exactly the frames offered to the host.
    const FakeNicQueue& q = e.queues[0];
    if (q.undecided() || q.bad_verdicts) abort();
    if (q.verdict_count(Verdict::Drop) + q.verdict_count(Verdict::Answer) + q.verdict_count(Verdict::Pass) != taken) abort();
    if (q.verdict_count(Verdict::Pass) != stat(*fw, "passed") + stat(*fw, "host_ring_full")) abort();
    return 0;
}
