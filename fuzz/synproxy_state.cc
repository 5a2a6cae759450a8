// The SYN proxy's state machine, driven from both sides by a script the fuzzer writes: client
// SYNs, ACKs that echo the cookie the proxy really sent (so handshakes complete), the server's
// SYN-ACKs and RSTs, data both ways with arbitrary flags, sequence numbers, options and lengths,
// raw garbage on either side, and time jumps past every timeout. Checked after every step: each
// NIC frame is accounted exactly once, every frame the proxy emits parses with a correct TCP
// checksum, and the table never holds more connections than it has slots. Half the clients speak
// IPv6 (the same four hosts and ports, in 2001:db8::/64).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "fakes.h"
#include "services/firewall/firewall.h"
#include "services/net/build.h"
#include "services/net/byte_order.h"
#include "services/net/checksum.h"
#include "services/net/headers.h"
#include "services/net/parse.h"

using namespace offsched;
using namespace offsched::test;

namespace {

struct Script {
    const uint8_t* p;
    size_t n;
    uint8_t u8() { return n ? (--n, *p++) : 0; }
    uint16_t u16() { return static_cast<uint16_t>(u8() << 8 | u8()); }
    uint32_t u32() { return static_cast<uint32_t>(u16()) << 16 | u16(); }
};

constexpr uint32_t kServer = net::ipv4(10, 0, 0, 10);
constexpr uint64_t kNet6 = 0x20010db800000000ull;
constexpr uint32_t kClients = 32; // 16 over IPv4, then the same 16 over IPv6
uint32_t client_ip(uint8_t c) { return net::ipv4(198, 18, 0, static_cast<uint8_t>(1 + c % 4)); }
uint16_t client_port(uint8_t c) { return static_cast<uint16_t>(40000 + (c >> 2) % 4); }
bool client_v6(uint8_t c) { return c >= 16; }
// The client a frame the proxy sends goes to (the inverse of the three above).
uint8_t client_of(const net::ParsedFrame& p)
{
    const uint32_t host = p.ip_version == 6 ? static_cast<uint32_t>(p.dst_ip6[1]) : p.dst_ip & 0xff;
    return static_cast<uint8_t>((((host - 1) & 3) | ((p.dst_port - 40000) << 2) | (p.ip_version == 6 ? 16 : 0)) % kClients);
}

Bytes segment(Script& s, bool from_client, uint8_t who, uint8_t flags, uint32_t seq, uint32_t ack)
{
    net::TcpSpec t{};
    t.addr.src_mac[5] = from_client ? 1 : 0xaa;
    t.addr.dst_mac[5] = from_client ? 0xaa : 1;
    t.addr.src_ip = from_client ? client_ip(who) : kServer;
    t.addr.dst_ip = from_client ? kServer : client_ip(who);
    if (client_v6(who)) {
        const uint64_t client[2] = {kNet6, client_ip(who) & 0xff}, server[2] = {kNet6, 0x10};
        t.addr.ipv6 = true;
        for (int i = 0; i < 2; ++i) {
            t.addr.src_ip6[i] = from_client ? client[i] : server[i];
            t.addr.dst_ip6[i] = from_client ? server[i] : client[i];
        }
    }
    t.addr.src_port = from_client ? client_port(who) : 80;
    t.addr.dst_port = from_client ? 80 : client_port(who);
    t.seq = seq;
    t.ack = ack;
    t.flags = flags;
    t.window = s.u16();
    const uint8_t o = s.u8();
    t.mss = (o & 1) ? s.u16() : 0;
    t.wscale = (o & 2) ? s.u8() : 0xff;
    t.sack_perm = o & 4;
    t.timestamps = o & 8;
    t.tsval = s.u32();
    t.tsecr = s.u32();
    static const uint8_t kData[1400] = {};
    t.payload = kData;
    t.payload_len = (o & 16) ? s.u16() % 1400 : 0;
    Bytes f(1600);
    f.resize(net::build_tcp(t, f.data(), static_cast<uint16_t>(f.size())));
    return f;
}

constexpr uint8_t kRawMac = 0xee;

// Frames scripted segments lead to parse and carry a correct TCP checksum, however the proxy
// rewrote them; garbage in (marked by its MAC, either way round) may come out as garbage.
void check_emitted(const Bytes& f)
{
    if (f.size() < 14 || f[0] == kRawMac || f[6] == kRawMac) return;
    net::ParsedFrame p;
    if (net::parse_frame(f.data(), static_cast<uint16_t>(f.size()), &p, net::IpFamilies::Ipv4AndIpv6) != net::ParseError::Ok) abort();
    if (p.proto == net::kIpProtoTcp && !net::l4_checksum_ok(f.data(), p)) abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    Script s{data, size};
    FakeEnv e(1, 2, 1000);
    Firewall::Config c;
    Firewall::defaults(c);
    c.syn_limit = (s.u8() & 1) != 0;
    c.syn_limit_burst = 8;
    c.synproxy = true;
    c.synproxy_port_min = c.synproxy_port_max = 80;
    c.synproxy_connections = 64;
    c.synproxy_timestamps = (s.u8() & 1) != 0;
    c.synproxy_handshake_timeout_ms = 50;
    c.synproxy_close_timeout_s = 1;
    c.synproxy_idle_timeout_s = 2;
    ConfigError err;
    if (!Firewall::validate(c, err)) abort();
    e.provide(Firewall::needs(c));
    e.queues[0].tx_capacity = 1u << 20;
    auto fw = std::make_unique<Firewall>(e.env, c);
    uint32_t last_cookie[kClients] = {}, last_syn_isn[kClients] = {}, cookie_ts[kClients] = {};
    uint64_t taken = 0;
    while (s.n) {
        const uint8_t op = s.u8(), who = s.u8() % kClients;
        switch (op % 9) {
        case 0: {
            const uint32_t isn = s.u32();
            e.queues[0].push(segment(s, true, who, net::kTcpSyn, isn, 0));
            break;
        }
        case 1: { // the ACK a real client sends back: the cookie it got, plus one
            Bytes f = segment(s, true, who, net::kTcpAck, last_syn_isn[who] + 1, last_cookie[who] + 1);
            net::ParsedFrame p;
            if (net::parse_frame(f.data(), static_cast<uint16_t>(f.size()), &p, net::IpFamilies::Ipv4AndIpv6) == net::ParseError::Ok &&
                p.ts_offset) {
                uint8_t* tcp = f.data() + p.l4_offset;
                net::csum_rewrite_be32(tcp + 16, tcp, f.data() + p.ts_offset + 4, cookie_ts[who]);
            }
            e.queues[0].push(f);
            break;
        }
        case 2: { // the server's SYN-ACK to the last SYN the proxy sent it for this client
            const uint32_t isn = s.u32();
            e.host_tx.push(segment(s, false, who, net::kTcpSyn | net::kTcpAck, isn, last_syn_isn[who] + 1));
            break;
        }
        case 3:
        case 4: { // any segment, either way
            const uint8_t flags = s.u8();
            const uint32_t seq = s.u32(), ack = s.u32();
            if (op % 9 == 3) e.queues[0].push(segment(s, true, who, flags, seq, ack));
            else e.host_tx.push(segment(s, false, who, flags, seq, ack));
            break;
        }
        case 5:
        case 6: { // raw bytes from the wire or the host: source MAC 0xee.., exempt from the checks below
            Bytes f(14 + s.u8());
            for (auto& b : f) b = s.u8();
            f[6] = kRawMac;
            const uint8_t family = s.u8(); // mostly IPv4 or IPv6, to reach the parser's depths
            if (family & 1) f[12] = 0x08, f[13] = 0x00;
            else if (family & 2) f[12] = 0x86, f[13] = 0xdd;
            if (op % 9 == 5) e.queues[0].push(f);
            else e.host_tx.push(f);
            break;
        }
        case 7: e.clock.now += uint64_t{s.u16()} * 1000; break; // up to 65 s
        default: e.queues[0].tx_capacity = s.u8() % 4; break;   // a NIC that refuses some frames
        }
        taken += fw->step(8).packets;
        for (const Bytes& f : e.queues[0].sent) {
            check_emitted(f);
            net::ParsedFrame p;
            if (net::parse_frame(f.data(), static_cast<uint16_t>(f.size()), &p, net::IpFamilies::Ipv4AndIpv6) != net::ParseError::Ok)
                continue;
            if ((p.tcp_flags & (net::kTcpSyn | net::kTcpAck)) == (net::kTcpSyn | net::kTcpAck) && p.dst_port >= 40000) {
                const uint8_t w = client_of(p);
                last_cookie[w] = p.seq;
                last_syn_isn[w] = p.ack - 1;
                cookie_ts[w] = p.tsval;
            }
        }
        e.queues[0].sent.clear();
        for (auto& r : e.host.rings) {
            for (const Bytes& f : r) check_emitted(f);
            r.clear();
        }
    }
    const uint64_t decided = stat(*fw, "passed") + stat(*fw, "host_ring_full") + stat(*fw, "dropped_rule") +
                             stat(*fw, "dropped_ratelimit") + stat(*fw, "dropped_syn_limit") +
                             stat(*fw, "dropped_malformed") + stat(*fw, "dropped_non_ip") +
                             stat(*fw, "dropped_no_flow") + stat(*fw, "syn_received") + stat(*fw, "cookie_invalid") +
                             stat(*fw, "cookie_valid") + stat(*fw, "cookie_retrans") + stat(*fw, "proxy_early_data");
    if (stat(*fw, "rx") != taken || decided != taken) abort();
    // One verdict per frame taken (NicQueue::verdict), Pass for exactly the frames offered to the host.
    const FakeNicQueue& q = e.queues[0];
    if (q.undecided() || q.bad_verdicts) abort();
    if (q.verdict_count(Verdict::Drop) + q.verdict_count(Verdict::Answer) + q.verdict_count(Verdict::Pass) != taken) abort();
    if (q.verdict_count(Verdict::Pass) != stat(*fw, "passed") + stat(*fw, "host_ring_full")) abort();
    if (stat(*fw, "proxy_conns") > 64) abort();
    if (std::getenv("SYNPROXY_FUZZ_VERBOSE")) // what a seed reaches (to check the corpus still opens connections)
        for (u32 i = 0; i < fw->stat_count(); ++i)
            if (fw->stat_value(i)) std::fprintf(stderr, "%s %llu\n", fw->stat_desc(i).name, (unsigned long long)fw->stat_value(i));
    return 0;
}
