// The firewall's per-packet paths, for callgrind (bench/services/callgrind.sh): the same service
// code as both backends run, fed pre-built frames by minimal model/ implementations, so the count
// is the service's own work. Modes:
//   drop     a SYN from a denied network, dropped by a rule (the syn_flood.yaml path)
//   drop-2rules  the same behind a rule that does not match (an admin network allowed first)
//   drop-set-10k, drop-set-1m  a SYN dropped by a rule naming a prefix set of 10,000 or
//            1,000,000 random /24s, each frame from a different listed /24 (bench/services/prefix_sets.sh)
//   syn      a SYN answered by the proxy with a cookie SYN-ACK (every flood packet)
//   ack      a client's ACK with a valid cookie: entry, SYN to the server
//   to-server  an established connection's data segment, translated towards the server
//   to-client  the server's data segment taken from the host, translated towards the client
//   syn6, ack6, to-server6, to-client6  the same four over IPv6 (2001:db8:c::i to 2001:db8::10)
// `synproxy_paths MODE N` processes N frames of that kind after the set-up the mode needs (N
// connections); `MODE-setup` does the set-up and builds the frames without processing them. The
// difference is what the service spends on the N frames. `synproxy_paths MODE N R` processes the
// frames R times more and prints the wall-clock nanoseconds per frame of those R passes.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "lib/prefix_set/compile.h"
#include "services/firewall/firewall.h"
#include "services/net/build.h"
#include "services/net/byte_order.h"
#include "services/net/headers.h"
#include "services/net/parse.h"

using namespace offsched;

namespace {

using Bytes = std::vector<u8>;

struct Clock1G final : Clock {
    u64 now = 1000000;
    u64 cycles() const override { return now; }
    u32 khz() const override { return 1000000; }
};
struct NoCore final : Core {
    u32 id() const override { return 1; }
    void relax() override {}
};
// Serves a prepared list of frames; transmits by keeping only the last frame (for set-up).
struct ListQueue final : NicQueue {
    std::vector<Bytes>* in = nullptr;
    size_t at = 0;
    Bytes last_tx;
    bool keep_tx = false;
    u32 rx_burst(Frame* out, u32 max) override
    {
        u32 n = 0;
        for (; n < max && in && at < in->size(); ++n, ++at) out[n] = Frame{(*in)[at].data(), static_cast<u16>((*in)[at].size()), 0, 0, 0};
        return n;
    }
    u32 tx_burst(const Frame* f, u32 n) override
    {
        if (keep_tx && n) last_tx.assign(f[n - 1].data, f[n - 1].data + f[n - 1].len);
        return n;
    }
    void verdict(const Frame&, Verdict) override {}
    void mac(u8 out[6]) const override { std::memset(out, 2, 6); }
};
struct ListHostTx final : HostTx {
    std::vector<Bytes>* in = nullptr;
    size_t at = 0;
    u32 take(Frame* out, u32 max) override
    {
        u32 n = 0;
        for (; n < max && in && at < in->size(); ++n, ++at) out[n] = Frame{(*in)[at].data(), static_cast<u16>((*in)[at].size()), 0, 0, 0};
        return n;
    }
};
struct KeepHost final : HostPath {
    Bytes last;
    bool keep = false;
    bool pass(const Frame& f, u32) override
    {
        if (keep) last.assign(f.data, f.data + f.len);
        return true;
    }
    void doorbell(u32) override {}
    u32 os_cpus() const override { return 2; }
};

// The IPv6 modes: every address a stands for 2001:db8::a (the server) or 2001:db8:c::a.
bool g_ipv6 = false;
constexpr u32 kServer = net::ipv4(10, 0, 0, 10);

Bytes tcp(u32 src, u32 dst, u16 sport, u16 dport, u8 flags, u32 seq, u32 ack, bool ts, u32 tsval, u32 tsecr, u16 payload)
{
    static const u8 kData[1448] = {};
    net::TcpSpec t{};
    t.addr.src_ip = src;
    t.addr.dst_ip = dst;
    if (g_ipv6) {
        t.addr.ipv6 = true;
        t.addr.src_ip6[0] = src == kServer ? 0x20010db800000000ull : 0x20010db8000c0000ull;
        t.addr.dst_ip6[0] = dst == kServer ? 0x20010db800000000ull : 0x20010db8000c0000ull;
        t.addr.src_ip6[1] = src;
        t.addr.dst_ip6[1] = dst;
    }
    t.addr.src_port = sport;
    t.addr.dst_port = dport;
    t.flags = flags;
    t.seq = seq;
    t.ack = ack;
    t.window = 502;
    t.wscale = (flags & net::kTcpSyn) ? 7 : 0xff;
    t.mss = (flags & net::kTcpSyn) ? 1460 : 0;
    t.sack_perm = (flags & net::kTcpSyn) != 0;
    t.timestamps = ts;
    t.tsval = tsval;
    t.tsecr = tsecr;
    t.payload = kData;
    t.payload_len = payload;
    Bytes f(1600);
    f.resize(net::build_tcp(t, f.data(), static_cast<u16>(f.size())));
    return f;
}

u32 client(u32 i) { return net::ipv4(198, 18, 0, 0) + i; }

// `count` distinct random /24s (fixed seed) as a prefix file, and the list of them.
std::string random_slash24s(u32 count, std::vector<u32>* nets)
{
    std::vector<u8> taken(1u << 24, 0);
    u64 x = 88172645463325252ull; // xorshift64: the same set on every run
    std::string text;
    while (nets->size() < count) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        const u32 net = static_cast<u32>(x >> 40);
        if (taken[net]) continue;
        taken[net] = 1;
        nets->push_back(net << 8);
        text += std::to_string(net >> 16) + "." + std::to_string(net >> 8 & 255) + "." + std::to_string(net & 255) + ".0/24\n";
    }
    return text;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3 && argc != 4) {
        std::fprintf(stderr, "usage: %s drop|drop-2rules|drop-set-10k|drop-set-1m|syn|ack|to-server|to-client[6] N [R]\n", argv[0]);
        return 64;
    }
    const u32 repeat = argc == 4 ? static_cast<u32>(std::strtoul(argv[3], nullptr, 10)) : 0;
    std::string mode = argv[1];
    const bool setup_only = mode.size() > 6 && mode.compare(mode.size() - 6, 6, "-setup") == 0;
    if (setup_only) mode.resize(mode.size() - 6);
    g_ipv6 = !mode.empty() && mode.back() == '6' && mode.rfind("drop", 0) != 0;
    if (g_ipv6) mode.pop_back();
    const u32 n = static_cast<u32>(std::strtoul(argv[2], nullptr, 10));
    Clock1G clock;
    NoCore core;
    ListQueue q;
    ListHostTx htx;
    KeepHost host;
    NicQueue* qs[1] = {&q};
    Firewall::Config c;
    Firewall::defaults(c);
    c.syn_limit = false;
    const bool drop_mode = mode.rfind("drop", 0) == 0;
    c.synproxy = !drop_mode;
    c.synproxy_port_min = c.synproxy_port_max = 80;
    c.synproxy_connections = 1u << 20;
    if (mode == "drop" || mode == "drop-2rules") {
        c.rule_count = 1;
        c.rules[0].src = ipv4_prefix(net::ipv4(198, 18, 0, 0), 15);
        c.rules[0].action = firewall::kDrop;
    }
    if (mode == "drop-2rules") {
        c.rules[1] = c.rules[0];
        c.rules[0].src = ipv4_prefix(net::ipv4(192, 0, 2, 0), 24); // the admins: allowed, no match here
        c.rules[0].action = firewall::kAllow;
        c.rule_count = 2;
    }
    // A set of random /24s, compiled as the tools do; the frames come from listed /24s.
    std::vector<u32> nets;
    std::vector<u64> image;
    ConfigData data;
    if (mode == "drop-set-10k" || mode == "drop-set-1m") {
        prefix_sets::CompiledSet set;
        prefix_sets::CompileError err;
        if (!prefix_sets::compile_prefix_set("set", random_slash24s(mode == "drop-set-1m" ? 1000000 : 10000, &nets), &set, &err))
            return 70;
        const std::vector<u8> img = prefix_sets::build_image({set});
        image.resize(img.size() / 8 + 1);
        std::memcpy(image.data(), img.data(), img.size());
        data = {image.data(), img.size()};
        c.rule_count = 1;
        std::strcpy(c.rules[0].src_set, "set");
        c.rules[0].action = firewall::kDrop;
    }
    const ServiceNeeds needs = Firewall::needs(c);
    std::unique_ptr<u64[]> arena(new u64[needs.arena_bytes / 8 + 8]());
    ServiceEnv env;
    env.clock = &clock;
    env.core = &core;
    env.queues = qs;
    env.queue_count = 1;
    env.host = &host;
    env.host_tx = needs.host_tx ? &htx : nullptr;
    env.arena = needs.arena_bytes ? arena.get() : nullptr;
    env.arena_bytes = needs.arena_bytes;
    env.data = data;
    auto fw = std::make_unique<Firewall>(env, c);
    auto run = [&](std::vector<Bytes>& frames, bool host_side) {
        if (host_side) htx.in = &frames, htx.at = 0;
        else q.in = &frames, q.at = 0;
        while ((host_side ? htx.at : q.at) < frames.size()) fw->step(32);
        (host_side ? htx.in : q.in) = nullptr; // `frames` may die before the next step polls both
    };

    // Set-up: handshakes for the modes that need connections (not measured apart from N's difference).
    std::vector<Bytes> frames;
    const bool need_conns = mode == "ack" || mode == "to-server" || mode == "to-client";
    std::vector<u32> cookies(n), cookie_ts(n);
    if (need_conns) {
        q.keep_tx = true;
        for (u32 i = 0; i < n; ++i) {
            std::vector<Bytes> one{tcp(client(i), kServer, 40000, 80, net::kTcpSyn, 1000 + i, 0, true, 5, 0, 0)};
            run(one, false);
            net::ParsedFrame p;
            net::parse_frame(q.last_tx.data(), static_cast<u16>(q.last_tx.size()), &p, net::IpFamilies::Ipv4AndIpv6);
            cookies[i] = p.seq;
            cookie_ts[i] = p.tsval;
        }
        q.keep_tx = false;
    }
    if (mode == "to-server" || mode == "to-client") {
        std::vector<Bytes> acks, synacks;
        for (u32 i = 0; i < n; ++i)
            acks.push_back(tcp(client(i), kServer, 40000, 80, net::kTcpAck, 1001 + i, cookies[i] + 1, true, 6, cookie_ts[i], 0));
        run(acks, false);
        for (u32 i = 0; i < n; ++i)
            synacks.push_back(tcp(kServer, client(i), 80, 40000, net::kTcpSyn | net::kTcpAck, 7000 + i, 1001 + i, true, 900, 6, 0));
        run(synacks, true);
    }
    // The measured frames (built in both runs, processed only in the measured one).
    for (u32 i = 0; i < n; ++i) {
        if (!nets.empty()) frames.push_back(tcp(nets[(i * 7919u) % nets.size()] | (i & 255), kServer, 40000, 80, net::kTcpSyn, i, 0, false, 0, 0, 0));
        else if (drop_mode || mode == "syn") frames.push_back(tcp(client(i), kServer, 40000, 80, net::kTcpSyn, i, 0, false, 0, 0, 0));
        else if (mode == "ack") frames.push_back(tcp(client(i), kServer, 40000, 80, net::kTcpAck, 1001 + i, cookies[i] + 1, true, 6, cookie_ts[i], 0));
        else if (mode == "to-server") frames.push_back(tcp(client(i), kServer, 40000, 80, net::kTcpAck | net::kTcpPsh, 1001 + i, cookies[i] + 1, true, 7, cookie_ts[i], 100));
        else frames.push_back(tcp(kServer, client(i), 80, 40000, net::kTcpAck | net::kTcpPsh, 7001 + i, 1001 + i, true, 901, 7, 1448));
    }
    if (setup_only) return 0;
    run(frames, mode == "to-client");
    if (repeat && drop_mode) { // wall clock: the same frames again (drops keep no state)
        const auto t0 = std::chrono::steady_clock::now();
        for (u32 r = 0; r < repeat; ++r) run(frames, false);
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();
        std::printf("%s ns/frame %.2f\n", mode.c_str(), static_cast<double>(ns) / (static_cast<double>(n) * repeat));
    }
    // Proof the path ran as named (a bench that measured the wrong path would be worse than none).
    const char* want = drop_mode ? "dropped_rule" : mode == "syn" ? "syn_received" : mode == "ack" ? "cookie_valid"
                     : mode == "to-server" ? "proxy_to_server" : "proxy_to_client";
    for (u32 i = 0; i < fw->stat_count(); ++i)
        if (std::strcmp(fw->stat_desc(i).name, want) == 0) {
            std::printf("%s%s %u frames, %s = %llu\n", mode.c_str(), g_ipv6 ? "6" : "", n, want, static_cast<unsigned long long>(fw->stat_value(i)));
            return fw->stat_value(i) >= n ? 0 : 70;
        }
    return 70;
}
