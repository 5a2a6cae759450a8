// The SYN proxy end to end, frame by frame: a scripted client on the wire and a scripted server
// behind the host path, each checking the numbers it sees are its own. Every frame the proxy emits
// must parse and carry a correct TCP checksum.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "fakes.h"
#include "services/firewall/firewall.h"
#include "services/net/byte_order.h"
#include "services/net/checksum.h"
#include "services/net/headers.h"
#include "services/net/parse.h"
#include "services/registry.h"

using namespace offsched;
using namespace offsched::test;

namespace {

constexpr u32 kClient = net::ipv4(198, 18, 7, 9);
constexpr u32 kServer = net::ipv4(10, 0, 0, 10);
constexpr u16 kCport = 41000;
constexpr u32 kClientIsn = 0xfffffff0u; // wraps during the test
constexpr u32 kServerIsn = 0x12345678u;
constexpr u32 kKhz = 1000000; // 1 GHz: a cycle is a ns

// A TCP frame with exactly the options given (raw bytes, padded to 4 with END).
struct Seg {
    u32 src = kClient, dst = kServer;
    u16 sport = kCport, dport = 80;
    u32 seq = 0, ack = 0;
    u8 flags = net::kTcpAck;
    u16 window = 502;
    std::vector<u8> opts;
    u16 payload = 0;
};

// The address family the frames of a test case use: tests that hold for both run once per
// family (`const Family fam(GENERATE(false, true));`). Over IPv6, an IPv4 address a stands for
// 2001:db8::a, so each test's addresses and checks read the same in both.
bool g_ipv6 = false;
struct Family {
    explicit Family(bool ipv6) { g_ipv6 = ipv6; }
    ~Family() { g_ipv6 = false; }
};
constexpr u64 kV6Net = 0x20010db800000000ull;
void store_v6(u8* at, u32 ip)
{
    net::store_be64(at, kV6Net);
    net::store_be64(at + 8, ip);
}
// The frame's address is the one a test names, in whichever family it was built.
bool addr_is(const net::ParsedFrame& p, bool source, u32 ip)
{
    if (p.ip_version == 4) return !g_ipv6 && (source ? p.src_ip : p.dst_ip) == ip;
    const u64* a = source ? p.src_ip6 : p.dst_ip6;
    return g_ipv6 && a[0] == kV6Net && a[1] == ip;
}

Bytes build(const Seg& s)
{
    std::vector<u8> o = s.opts;
    while (o.size() % 4) o.push_back(0);
    const u16 tcp_len = static_cast<u16>(20 + o.size() + s.payload);
    const u16 ip_len = g_ipv6 ? net::kIpv6HeaderLen : 20;
    Bytes f(14 + ip_len + tcp_len, 0);
    f[0] = 0x02, f[5] = 0xaa, f[6] = 0x02, f[11] = 0x01;
    net::store_be16(&f[12], g_ipv6 ? net::kEtherTypeIpv6 : net::kEtherTypeIpv4);
    u8* ip = &f[14];
    if (g_ipv6) {
        ip[0] = 0x60;
        net::store_be16(ip + 4, tcp_len);
        ip[6] = net::kIpProtoTcp;
        ip[7] = 64;
        store_v6(ip + 8, s.src);
        store_v6(ip + 24, s.dst);
    } else {
        ip[0] = 0x45;
        net::store_be16(ip + 2, static_cast<u16>(20 + tcp_len));
        ip[8] = 64;
        ip[9] = 6;
        net::store_be32(ip + 12, s.src);
        net::store_be32(ip + 16, s.dst);
        net::store_be16(ip + 10, net::ipv4_header_checksum(ip, 20));
    }
    u8* t = ip + ip_len;
    net::store_be16(t, s.sport);
    net::store_be16(t + 2, s.dport);
    net::store_be32(t + 4, s.seq);
    net::store_be32(t + 8, s.ack);
    t[12] = static_cast<u8>(((20 + o.size()) / 4) << 4);
    t[13] = s.flags;
    net::store_be16(t + 14, s.window);
    std::copy(o.begin(), o.end(), t + 20);
    for (u16 i = 0; i < s.payload; ++i) t[20 + o.size() + i] = static_cast<u8>(i);
    net::store_be16(t + 16, g_ipv6 ? net::l4_checksum6(ip + 8, ip + 24, net::kIpProtoTcp, t, tcp_len)
                                   : net::l4_checksum(s.src, s.dst, 6, t, tcp_len));
    return f;
}

std::vector<u8> ts_opt(u32 val, u32 ecr)
{
    std::vector<u8> o{1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0};
    net::store_be32(&o[4], val);
    net::store_be32(&o[8], ecr);
    return o;
}
// A client data segment of an established connection whose SYN-ACK cookie was `sa`.
Seg client_data(const net::ParsedFrame& sa, u32 seq, u16 payload)
{
    Seg d;
    d.seq = seq;
    d.ack = sa.seq + 1;
    d.flags = net::kTcpAck | net::kTcpPsh;
    d.payload = payload;
    d.opts = ts_opt(1200, sa.tsval + 50);
    return d;
}

std::vector<u8> syn_opts(u16 mss, u8 ws, bool sack, bool ts, u32 tsval)
{
    std::vector<u8> o{2, 4, static_cast<u8>(mss >> 8), static_cast<u8>(mss)};
    if (sack) o.insert(o.end(), {4, 2});
    if (ts) {
        o.insert(o.end(), {8, 10, 0, 0, 0, 0, 0, 0, 0, 0});
        net::store_be32(&o[o.size() - 8], tsval);
    }
    if (ws != 0xff) o.insert(o.end(), {1, 3, 3, ws});
    return o;
}

net::ParsedFrame parsed(const Bytes& f)
{
    net::ParsedFrame p;
    REQUIRE(net::parse_frame(f.data(), static_cast<u16>(f.size()), &p, net::IpFamilies::Ipv4AndIpv6) == net::ParseError::Ok);
    REQUIRE(p.ip_version == (g_ipv6 ? 6 : 4)); // the proxy answers in the family it was spoken to
    REQUIRE(net::l4_checksum_ok(f.data(), p)); // every rewrite keeps the checksum right
    return p;
}

struct Proxy {
    explicit Proxy(void (*tune)(Firewall::Config&) = nullptr) : e(1, 2, kKhz)
    {
        Firewall::defaults(cfg);
        cfg.syn_limit = false;
        cfg.synproxy = true;
        cfg.synproxy_port_min = 80;
        cfg.synproxy_port_max = 80;
        cfg.synproxy_connections = 64;
        if (tune) tune(cfg);
        ConfigError err;
        REQUIRE(Firewall::validate(cfg, err));
        e.provide(Firewall::needs(cfg));
        fw = std::make_unique<Firewall>(e.env, cfg);
    }
    StepResult step() { return fw->step(32); }
    std::vector<net::ParsedFrame> wire()
    {
        std::vector<net::ParsedFrame> out;
        for (const Bytes& f : e.queues[0].sent) out.push_back(parsed(f));
        e.queues[0].sent.clear();
        return out;
    }
    std::vector<net::ParsedFrame> host()
    {
        std::vector<net::ParsedFrame> out;
        for (auto& r : e.host.rings) {
            for (const Bytes& f : r) out.push_back(parsed(f));
            r.clear();
        }
        return out;
    }
    u64 st(const char* n) const { return stat(*fw, n); }

    // Client SYN with timestamps, wscale 7 and SACK; returns the proxy's SYN-ACK.
    net::ParsedFrame syn(u8 ws = 7, bool ts = true, bool sack = true, u8 extra_flags = 0)
    {
        Seg s;
        s.seq = kClientIsn;
        s.flags = net::kTcpSyn | extra_flags;
        s.window = 64240;
        s.opts = syn_opts(1460, ws, sack, ts, 1111);
        e.queues[0].push(build(s));
        step();
        auto w = wire();
        REQUIRE(w.size() == 1);
        return w[0];
    }
    // The client's ACK of the SYN-ACK; returns the SYN the server gets.
    net::ParsedFrame ack(const net::ParsedFrame& synack)
    {
        Seg a;
        a.seq = kClientIsn + 1;
        a.ack = synack.seq + 1;
        a.window = 502;
        if (synack.has_timestamp) a.opts = ts_opt(1112, synack.tsval);
        e.queues[0].push(build(a));
        step();
        auto h = host();
        REQUIRE(h.size() == 1);
        return h[0];
    }
    // The server's SYN-ACK through the host path; returns (ACK to the server, ACK to the client).
    std::pair<net::ParsedFrame, net::ParsedFrame> server_synack(const net::ParsedFrame& syn, u8 server_ws = 7,
                                                                u16 window = 65160)
    {
        Seg s;
        s.src = kServer, s.dst = kClient, s.sport = 80, s.dport = kCport;
        s.seq = kServerIsn;
        s.ack = syn.seq + 1;
        s.flags = net::kTcpSyn | net::kTcpAck;
        s.window = window;
        s.opts = syn_opts(1460, server_ws, syn.sack_perm, syn.has_timestamp, 900000);
        if (syn.has_timestamp) net::store_be32(&s.opts[s.opts.size() - (server_ws != 0xff ? 8 : 4)], syn.tsval);
        e.host_tx.push(build(s));
        step();
        auto h = host();
        auto w = wire();
        REQUIRE(h.size() == 1);
        REQUIRE(w.size() == 1);
        return {h[0], w[0]};
    }
    FakeEnv e;
    Firewall::Config cfg;
    std::unique_ptr<Firewall> fw;
};

} // namespace

TEST_CASE("SYN proxy: the whole life of a connection, numbers checked on both sides")
{
    const Family fam(GENERATE(false, true));
    Proxy x;
    const net::ParsedFrame sa = x.syn();
    CHECK(x.e.host.total() == 0); // the host sees nothing of a SYN
    CHECK(sa.tcp_flags == (net::kTcpSyn | net::kTcpAck));
    CHECK(addr_is(sa, true, kServer));
    CHECK(addr_is(sa, false, kClient));
    CHECK(sa.ack == kClientIsn + 1);
    CHECK(sa.window == 0);      // the client holds its data until the server is ready
    const u16 mss = g_ipv6 ? 1440 : 1460; // synproxy_mss6, synproxy_mss; and the cookies' tables' nearest
    CHECK(sa.mss == mss);
    CHECK(sa.wscale == 7);
    CHECK(sa.sack_perm);
    REQUIRE(sa.has_timestamp);
    CHECK(sa.tsecr == 1111);
    CHECK((sa.tsval & 0xf) == 7);       // the client's window scale rides in the TSval
    CHECK((sa.tsval & 0x10) == 0x10);   // and its SACK permission
    CHECK(x.st("syn_received") == 1);
    CHECK(x.st("cookies_sent") == 1);
    CHECK(x.st("proxy_conns") == 0);    // stateless so far
    CHECK(x.e.queues[0].verdict_count(Verdict::Answer) == 1); // the SYN: answered here

    x.e.clock.now += 20000;
    const net::ParsedFrame syn = x.ack(sa);
    CHECK(x.st("cookie_valid") == 1);
    CHECK(x.e.queues[0].verdict_count(Verdict::Answer) == 2); // the ACK: turned into the proxy's SYN
    CHECK(syn.tcp_flags == net::kTcpSyn);
    CHECK(addr_is(syn, true, kClient));
    CHECK(addr_is(syn, false, kServer));
    CHECK(syn.seq == kClientIsn);       // the client's own ISN
    CHECK(syn.mss == mss);              // restored from the cookie
    CHECK(syn.wscale == 7);             // from the timestamp cookie
    CHECK(syn.sack_perm);
    REQUIRE(syn.has_timestamp);
    CHECK(syn.tsval == 1112);

    x.e.clock.now += 20000;
    auto [to_server, to_client] = x.server_synack(syn);
    CHECK(x.st("proxy_established") == 1);
    CHECK(to_server.tcp_flags == net::kTcpAck);
    CHECK(to_server.seq == kClientIsn + 1);
    CHECK(to_server.ack == kServerIsn + 1);
    CHECK(to_server.tsval == 1112);
    CHECK(to_server.tsecr == 900000);
    CHECK(to_client.tcp_flags == net::kTcpAck);
    CHECK(to_client.seq == sa.seq + 1);  // in the cookie's numbering
    CHECK(to_client.ack == kClientIsn + 1);
    CHECK(to_client.window == 65160 >> 7); // opened, in the scale the client was told
    CHECK(to_client.tsval == sa.tsval);  // the server's clock seen through the offset
    CHECK(to_client.tsecr == 1112);

    // Client request: ack in the cookie's numbering becomes the server's.
    const Seg req = client_data(sa, kClientIsn + 1, 100);
    x.e.queues[0].push(build(req));
    x.step();
    auto h = x.host();
    REQUIRE(h.size() == 1);
    CHECK(h[0].ack == kServerIsn + 1);
    CHECK(h[0].tsecr == 900050);        // our TSval offset undone
    CHECK(h[0].payload_len == 100);
    CHECK(x.e.queues[0].verdict_count(Verdict::Pass) == 1); // the request itself, translated

    // Server response: seq and TSval translated, window in the same scale untouched.
    Seg resp;
    resp.src = kServer, resp.dst = kClient, resp.sport = 80, resp.dport = kCport;
    resp.seq = kServerIsn + 1;
    resp.ack = kClientIsn + 101;
    resp.payload = 1000;
    resp.window = 500;
    resp.opts = ts_opt(900100, 1200);
    x.e.host_tx.push(build(resp));
    x.step();
    auto w = x.wire();
    REQUIRE(w.size() == 1);
    CHECK(w[0].seq == sa.seq + 1);
    CHECK(w[0].ack == kClientIsn + 101);
    CHECK(w[0].tsval == sa.tsval + 100);
    CHECK(w[0].window == 500);
    CHECK(x.st("proxy_to_client") == 1);
    CHECK(x.st("host_tx") == 1); // the SYN-ACK was absorbed, the response went out

    // A FIN, then the close timeout frees the entry.
    Seg fin = req;
    fin.seq = kClientIsn + 101;
    fin.flags = net::kTcpAck | net::kTcpFin;
    fin.payload = 0;
    x.e.queues[0].push(build(fin));
    x.step();
    CHECK(x.host().size() == 1);
    CHECK(x.st("proxy_conns") == 1);
    x.e.clock.now += u64{kKhz} * 1000 * x.cfg.synproxy_close_timeout_s + 1;
    for (u32 i = 0; i < 16; ++i) x.step(); // the sweep walks the table
    CHECK(x.st("proxy_conns") == 0);
    CHECK(x.st("proxy_expired") == 1);
}

TEST_CASE("SYN proxy: the MSS the server gets is the nearest below the client's in its family's table")
{
    const Family fam(GENERATE(false, true));
    // Linux's msstab pairs (IPv4, IPv6): the client's MSS -> what the cookie can carry.
    const u16 client = GENERATE(as<u16>(), 600, 1300, 1400, 9000);
    const u16 v4 = client >= 1460 ? 1460 : client >= 1440 ? 1440 : client >= 1300 ? 1300 : 536;
    const u16 v6 = client >= 8940 ? 8940 : client >= 1440 ? 1440 : client >= 1420 ? 1420 : 1220;
    Proxy x;
    Seg s;
    s.seq = kClientIsn;
    s.flags = net::kTcpSyn;
    s.opts = syn_opts(client, 7, true, true, 1111);
    x.e.queues[0].push(build(s));
    x.step();
    const auto w = x.wire();
    REQUIRE(w.size() == 1);
    const net::ParsedFrame syn = x.ack(w[0]);
    CHECK(syn.mss == (g_ipv6 ? v6 : v4));
}

TEST_CASE("SYN proxy: an IPv6 connection is its full addresses, not a hash of them")
{
    const Family fam(true);
    Proxy x;
    const net::ParsedFrame sa = x.syn();
    x.server_synack(x.ack(sa));
    // The client's segment, from an address whose words are the client's in another order: the
    // same 32-bit fold (ParsedFrame::src_ip), the same ports and numbers, another host.
    Bytes f = build(client_data(sa, kClientIsn + 1, 10));
    u8* src = &f[14 + 8];
    u8 word[4];
    std::copy(src, src + 4, word);
    std::copy(src + 4, src + 8, src);
    std::copy(word, word + 4, src + 4);
    // Swapping two 16-bit-aligned words leaves the ones' complement sum, so the checksum holds.
    x.e.queues[0].push(f);
    x.step();
    CHECK(x.host().empty());
    CHECK(x.st("cookie_invalid") == 1); // to the proxy, an ACK of a connection it never saw
    CHECK(x.st("proxy_to_server") == 0);
    // The client itself is still translated.
    x.e.queues[0].push(build(client_data(sa, kClientIsn + 1, 10)));
    x.step();
    CHECK(x.host().size() == 1);
    CHECK(x.st("proxy_to_server") == 1);
}

TEST_CASE("SYN proxy: SACK edges are translated by the sequence offset")
{
    const Family fam(GENERATE(false, true));
    Proxy x;
    const net::ParsedFrame sa = x.syn();
    const net::ParsedFrame syn = x.ack(sa);
    x.server_synack(syn);
    Seg s;
    s.seq = kClientIsn + 1;
    s.ack = sa.seq + 1;
    s.opts = ts_opt(1300, sa.tsval);
    const std::vector<u8> blk{1, 1, 5, 10, 0, 0, 0, 0, 0, 0, 0, 0};
    s.opts.insert(s.opts.end(), blk.begin(), blk.end());
    net::store_be32(&s.opts[s.opts.size() - 8], sa.seq + 2001);
    net::store_be32(&s.opts[s.opts.size() - 4], sa.seq + 3001);
    x.e.queues[0].push(build(s));
    x.step();
    REQUIRE(x.e.host.total() == 1);
    const Bytes f = x.e.host.rings[0].empty() ? x.e.host.rings[1][0] : x.e.host.rings[0][0];
    const net::ParsedFrame p = parsed(f);
    REQUIRE(p.sack_blocks == 1);
    CHECK(net::load_be32(&f[p.sack_offset]) == kServerIsn + 2001);
    CHECK(net::load_be32(&f[p.sack_offset + 4]) == kServerIsn + 3001);
}

TEST_CASE("SYN proxy: without timestamps, window scale and SACK are not offered (as SYNPROXY)")
{
    const Family fam(GENERATE(false, true));
    Proxy x;
    const net::ParsedFrame sa = x.syn(7, /*ts=*/false, /*sack=*/true);
    CHECK_FALSE(sa.has_timestamp);
    CHECK(sa.wscale == 0xff);
    CHECK_FALSE(sa.sack_perm);
    const net::ParsedFrame syn = x.ack(sa);
    CHECK(syn.wscale == 0xff);
    CHECK_FALSE(syn.sack_perm);
    CHECK_FALSE(syn.has_timestamp);
    CHECK(syn.mss == (g_ipv6 ? 1440 : 1460));
    auto [to_server, to_client] = x.server_synack(syn, 0xff, 30000);
    CHECK(to_client.window == 30000); // unscaled on both sides
}

TEST_CASE("SYN proxy: a server with another window scale gets its windows rescaled")
{
    const Family fam(GENERATE(false, true));
    Proxy x;
    const net::ParsedFrame sa = x.syn(7);
    const net::ParsedFrame syn = x.ack(sa);
    auto [to_server, to_client] = x.server_synack(syn, 9, 65535);
    CHECK(x.st("proxy_wscale_rescaled") == 1);
    CHECK(to_client.window == 65535 >> 7);
    Seg resp;
    resp.src = kServer, resp.dst = kClient, resp.sport = 80, resp.dport = kCport;
    resp.seq = kServerIsn + 1;
    resp.ack = kClientIsn + 1;
    resp.window = 100; // 100 << 9 bytes, which the client reads with scale 7
    resp.opts = ts_opt(900001, 1112);
    x.e.host_tx.push(build(resp));
    x.step();
    auto w = x.wire();
    REQUIRE(w.size() == 1);
    CHECK(w[0].window == 400);
}

TEST_CASE("SYN proxy: forged, replayed and expired cookies open nothing")
{
    const Family fam(GENERATE(false, true));
    Proxy x;
    const net::ParsedFrame sa = x.syn();
    Seg a;
    a.seq = kClientIsn + 1;
    a.opts = ts_opt(1112, sa.tsval);
    SECTION("wrong cookie")
    {
        a.ack = sa.seq + 2;
    }
    SECTION("another client ISN")
    {
        a.ack = sa.seq + 1;
        a.seq = kClientIsn + 77;
    }
    SECTION("another source port")
    {
        a.ack = sa.seq + 1;
        a.sport = kCport + 1;
    }
    SECTION("two slots later")
    {
        a.ack = sa.seq + 1;
        x.e.clock.now += 2 * u64{kKhz} * 1000 * firewall::kCookieSlotSeconds;
    }
    x.e.queues[0].push(build(a));
    x.step();
    CHECK(x.st("cookie_invalid") == 1);
    CHECK(x.st("cookie_valid") == 0);
    CHECK(x.e.host.total() == 0);
    CHECK(x.st("proxy_conns") == 0);
    CHECK(x.e.queues[0].verdict_count(Verdict::Drop) == 1); // the bad ACK
    CHECK(x.e.queues[0].verdict_count(Verdict::Answer) == 1); // its SYN
}

TEST_CASE("SYN proxy: a cookie is still good in the next time slot")
{
    const Family fam(GENERATE(false, true));
    Proxy x;
    const net::ParsedFrame sa = x.syn();
    x.e.clock.now += u64{kKhz} * 1000 * firewall::kCookieSlotSeconds;
    x.ack(sa);
    CHECK(x.st("cookie_valid") == 1);
}

TEST_CASE("SYN proxy: zero-window probes during the server handshake resend the SYN")
{
    const Family fam(GENERATE(false, true));
    Proxy x;
    const net::ParsedFrame sa = x.syn();
    x.ack(sa);
    Seg probe;
    probe.seq = kClientIsn; // one below: a window probe
    probe.ack = sa.seq + 1;
    probe.opts = ts_opt(1400, sa.tsval);
    x.e.queues[0].push(build(probe));
    x.step();
    auto h = x.host();
    REQUIRE(h.size() == 1);
    CHECK(h[0].tcp_flags == net::kTcpSyn);
    CHECK(h[0].tsval == 1400);
    CHECK(x.st("cookie_retrans") == 1);
    // Data before the server answered is dropped, not forwarded untranslated.
    Seg early = probe;
    early.seq = kClientIsn + 1;
    early.payload = 10;
    x.e.queues[0].push(build(early));
    x.step();
    CHECK(x.host().empty());
    CHECK(x.st("proxy_early_data") == 1);
}

TEST_CASE("SYN proxy: a server without a listener refuses, the client gets the RST in its numbers")
{
    const Family fam(GENERATE(false, true));
    Proxy x;
    const net::ParsedFrame sa = x.syn();
    const net::ParsedFrame syn = x.ack(sa);
    Seg rst;
    rst.src = kServer, rst.dst = kClient, rst.sport = 80, rst.dport = kCport;
    rst.seq = 0;
    rst.ack = syn.seq + 1;
    rst.flags = net::kTcpRst | net::kTcpAck;
    x.e.host_tx.push(build(rst));
    x.step();
    auto w = x.wire();
    REQUIRE(w.size() == 1);
    CHECK(w[0].seq == sa.seq + 1);
    CHECK(x.st("proxy_server_rst") == 1);
    CHECK(x.st("proxy_conns") == 0);
}

TEST_CASE("SYN proxy: a lost server ACK is repeated when the server repeats its SYN-ACK")
{
    const Family fam(GENERATE(false, true));
    Proxy x;
    const net::ParsedFrame sa = x.syn();
    const net::ParsedFrame syn = x.ack(sa);
    x.server_synack(syn);
    Seg again;
    again.src = kServer, again.dst = kClient, again.sport = 80, again.dport = kCport;
    again.seq = kServerIsn;
    again.ack = syn.seq + 1;
    again.flags = net::kTcpSyn | net::kTcpAck;
    again.opts = syn_opts(1460, 7, true, true, 901000);
    x.e.host_tx.push(build(again));
    x.step();
    CHECK(x.wire().empty());
    auto h = x.host();
    REQUIRE(h.size() == 1);
    CHECK(h[0].ack == kServerIsn + 1);
    CHECK(x.st("proxy_synack_retrans") == 1);
}

TEST_CASE("SYN proxy: stateless segments are dropped, other ports and host traffic pass untouched")
{
    const Family fam(GENERATE(false, true));
    Proxy x;
    Seg rst;
    rst.flags = net::kTcpRst;
    Seg fin;
    fin.flags = net::kTcpFin | net::kTcpAck;
    Seg other;
    other.dport = 8080;
    other.flags = net::kTcpSyn;
    x.e.queues[0].push(build(rst));
    x.e.queues[0].push(build(fin));
    x.e.queues[0].push(build(other));
    Seg out; // the host's own outbound connection
    out.src = kServer, out.dst = kClient, out.sport = 51000, out.dport = 443, out.flags = net::kTcpSyn, out.seq = 7;
    const Bytes outbound = build(out);
    x.e.host_tx.push(outbound);
    x.step();
    CHECK(x.st("dropped_no_flow") == 2);
    CHECK(x.st("passed") == 1);
    REQUIRE(x.e.queues[0].sent.size() == 1);
    CHECK(x.e.queues[0].sent[0] == outbound);
}

TEST_CASE("SYN proxy: a full table refuses new connections and never evicts live ones")
{
    const Family fam(GENERATE(false, true));
    Proxy x([](Firewall::Config& c) { c.synproxy_connections = 64; });
    // Open connections from many ports until the table says full.
    u32 opened = 0;
    for (u16 port = 2000; port < 2400; ++port) {
        Seg s;
        s.sport = port;
        s.seq = 100;
        s.flags = net::kTcpSyn;
        s.opts = syn_opts(1460, 7, true, true, 1);
        x.e.queues[0].push(build(s));
        x.step();
        const net::ParsedFrame sa = x.wire().at(0);
        Seg a;
        a.sport = port;
        a.seq = 101;
        a.ack = sa.seq + 1;
        a.opts = ts_opt(2, sa.tsval);
        x.e.queues[0].push(build(a));
        x.step();
        opened += static_cast<u32>(x.host().size());
    }
    CHECK(opened == x.st("proxy_conns"));
    CHECK(opened <= 64);
    CHECK(x.st("proxy_table_full") == 400 - opened);
    CHECK(x.st("proxy_evicted_closing") == 0);
}

TEST_CASE("SYN proxy: configs that cannot work are refused by field")
{
    Firewall::Config c;
    Firewall::defaults(c);
    c.synproxy = true;
    ConfigError err;
    c.synproxy_connections = 1000;
    CHECK_FALSE(Firewall::validate(c, err));
    CHECK(std::string(err.field) == "synproxy_connections");
    c.synproxy_connections = 1024;
    c.synproxy_port_min = 100;
    c.synproxy_port_max = 99;
    CHECK_FALSE(Firewall::validate(c, err));
    CHECK(std::string(err.field) == "synproxy_port_min");
    c.synproxy_port_max = 100;
    CHECK(Firewall::validate(c, err));
    CHECK(Firewall::needs(c).host_tx);
    CHECK(Firewall::needs(c).arena_bytes == 1024 + 1024 * 64); // tags, then entries
    c.synproxy = false;
    CHECK_FALSE(Firewall::needs(c).host_tx);
}

TEST_CASE("SYN proxy: a backend that did not provide the proxy's needs keeps its ports closed")
{
    FakeEnv e(1, 2, kKhz);
    Firewall::Config c;
    Firewall::defaults(c);
    c.synproxy = true;
    c.syn_limit = false;
    Firewall fw(e.env, c); // no arena, no host_tx
    Seg s;
    s.flags = net::kTcpSyn;
    e.queues[0].push(build(s));
    fw.step(8);
    CHECK(stat(fw, "dropped_no_flow") == 1);
    CHECK(e.host.total() == 0);
    CHECK(e.queues[0].sent.empty());
}

namespace {
// An established connection through the proxy; false when the proxy refused it (table full).
bool establish(Proxy& x, u16 cport)
{
    Seg s;
    s.sport = cport;
    s.seq = kClientIsn;
    s.flags = net::kTcpSyn;
    s.opts = syn_opts(1460, 7, true, true, 1111);
    x.e.queues[0].push(build(s));
    x.step();
    const net::ParsedFrame sa = x.wire().at(0);
    Seg a;
    a.sport = cport;
    a.seq = kClientIsn + 1;
    a.ack = sa.seq + 1;
    a.opts = ts_opt(1112, sa.tsval);
    x.e.queues[0].push(build(a));
    x.step();
    const auto h = x.host();
    if (h.empty()) return false;
    const net::ParsedFrame syn = h[0];
    Seg sak;
    sak.src = kServer, sak.dst = kClient, sak.sport = 80, sak.dport = cport;
    sak.seq = kServerIsn;
    sak.ack = syn.seq + 1;
    sak.flags = net::kTcpSyn | net::kTcpAck;
    sak.opts = syn_opts(1460, 7, true, true, 900000);
    x.e.host_tx.push(build(sak));
    x.step();
    x.host();
    x.wire();
    return true;
}
} // namespace

TEST_CASE("SYN proxy: a blind RST storm closes nothing, the sender's own RST does")
{
    const Family fam(GENERATE(false, true));
    Proxy x;
    establish(x, kCport);
    for (u32 i = 0; i < 100; ++i) { // guessed sequence numbers, spoofed from the client
        Seg r;
        r.seq = kClientIsn + 1 + 1000 * (i + 1);
        r.flags = net::kTcpRst;
        x.e.queues[0].push(build(r));
    }
    for (int i = 0; i < 5; ++i) x.step();
    CHECK(x.st("proxy_rst_ignored") == 100);
    CHECK(x.st("proxy_conns") == 1);
    // The connection still translates: it was not closed or dropped.
    Seg d;
    d.seq = kClientIsn + 1;
    d.ack = 0;
    x.e.queues[0].push(build(d));
    x.step();
    x.host();
    CHECK(x.st("proxy_to_server") == 101);
    // The client's real RST (its next sequence number) closes it: close timeout, then gone.
    Seg r;
    r.seq = kClientIsn + 1;
    r.flags = net::kTcpRst;
    x.e.queues[0].push(build(r));
    x.step();
    x.e.clock.now += u64{kKhz} * 1000 * x.cfg.synproxy_close_timeout_s + 1;
    for (int i = 0; i < 16; ++i) x.step();
    CHECK(x.st("proxy_conns") == 0);
}

TEST_CASE("SYN proxy: a table full of half-closed connections makes room, established ones stay")
{
    const Family fam(GENERATE(false, true));
    Proxy x([](Firewall::Config& c) { c.synproxy_connections = 64; });
    // Fill one bucket's worth and more: every connection established, then half-closed by a FIN.
    u16 port = 3000;
    while (port < 3400 && establish(x, port)) ++port;
    const u16 est = static_cast<u16>(port - 3000);
    const u64 conns = x.st("proxy_conns");
    REQUIRE(x.st("proxy_table_full") > 0); // some bucket filled with live connections
    for (u16 p = 3000; p < 3000 + est; ++p) { // the clients all send FIN: half-closed
        Seg f;
        f.sport = p;
        f.seq = kClientIsn + 1;
        f.flags = net::kTcpFin | net::kTcpAck;
        x.e.queues[0].push(build(f));
    }
    for (int i = 0; i < 10; ++i) x.step();
    x.host();
    // New clients now find room by evicting half-closed ones, counted, never refused.
    const u64 full_before = x.st("proxy_table_full");
    for (u16 p = 5000; p < 5040; ++p) CHECK(establish(x, p));
    CHECK(x.st("proxy_table_full") == full_before);
    CHECK(x.st("proxy_evicted_closing") > 0);
    CHECK(x.st("proxy_conns") <= 64);
    CHECK(conns <= 64);
    CHECK(est > 16); // more than one bucket's worth got in before one bucket filled
}

TEST_CASE("SYN proxy: a client that vanishes mid-transfer is forgotten after the idle timeout")
{
    const Family fam(GENERATE(false, true));
    Proxy x([](Firewall::Config& c) { c.synproxy_idle_timeout_s = 30; });
    establish(x, kCport);
    CHECK(x.st("proxy_conns") == 1);
    x.e.clock.now += u64{kKhz} * 1000 * 29;
    for (int i = 0; i < 16; ++i) x.step();
    CHECK(x.st("proxy_conns") == 1); // not yet
    x.e.clock.now += u64{kKhz} * 1000 * 2;
    for (int i = 0; i < 16; ++i) x.step();
    CHECK(x.st("proxy_conns") == 0);
    CHECK(x.st("proxy_expired") == 1);
}

TEST_CASE("SYN proxy: a SYN with malformed options is counted and answers nothing")
{
    Proxy x;
    Seg s;
    s.seq = 5;
    s.flags = net::kTcpSyn;
    s.opts = {2, 4, 5, 0xb4, 8, 12, 1, 2}; // a timestamp option that claims 12 bytes
    x.e.queues[0].push(build(s));
    x.step();
    CHECK(x.st("malformed_tcp_bad_options") == 1);
    CHECK(x.st("syn_received") == 0);
    CHECK(x.e.queues[0].sent.empty());
}

TEST_CASE("SYN proxy: a blind RST during the server handshake is dropped and counted, the handshake goes on")
{
    const Family fam(GENERATE(false, true));
    Proxy x;
    const net::ParsedFrame sa = x.syn();
    const net::ParsedFrame syn = x.ack(sa);
    Seg r;
    r.seq = kClientIsn + 12345; // not the client's next sequence number
    r.flags = net::kTcpRst;
    x.e.queues[0].push(build(r));
    x.step();
    CHECK(x.host().empty());
    CHECK(x.st("proxy_rst_ignored") == 1);
    CHECK(x.st("dropped_no_flow") == 1); // every frame taken lands in one bucket
    x.server_synack(syn);
    CHECK(x.st("proxy_established") == 1);
}

TEST_CASE("SYN proxy: a reload keeps every connection and its translation, the secret carries over")
{
    const Family fam(GENERATE(false, true));
    Proxy x;
    const net::ParsedFrame sa = x.syn();
    x.e.clock.now += 20000;
    const net::ParsedFrame syn = x.ack(sa);
    x.e.clock.now += 20000;
    x.server_synack(syn);
    REQUIRE(x.st("proxy_established") == 1);
    // A SYN-ACK cookie sent before the reload must still validate after it.
    const net::ParsedFrame sa2 = [&] {
        Seg s;
        s.sport = kCport + 1;
        s.seq = kClientIsn;
        s.flags = net::kTcpSyn;
        s.opts = syn_opts(1460, 7, true, true, 1111);
        x.e.queues[0].push(build(s));
        x.step();
        auto w = x.wire();
        REQUIRE(w.size() == 1);
        return w[0];
    }();

    // The new config: a drop rule for another network, another secret and seed (offschedctl
    // draws them at random for every file that does not set them): they must not take effect.
    Firewall::Config next = x.cfg;
    next.rules[0].src = g_ipv6 ? ipv6_prefix(kV6Net, net::ipv4(203, 0, 113, 0), 120) : ipv4_prefix(net::ipv4(203, 0, 113, 0), 24);
    next.rules[0].dst_port_max = 65535;
    next.rules[0].action = firewall::kDrop;
    next.rule_count = 1;
    next.synproxy_secret ^= 0x5555;
    next.hash_seed ^= 0x9; // one that moves this flow to the other cpu if it took effect
    ConfigError err;
    REQUIRE(Firewall::validate(next, err));
    REQUIRE(find_service("firewall")->reload_check(&x.cfg, &next, &err));
    // Which OS cpu the connection's segments go to (flow hash under hash_seed): a reload must
    // not move a flow to another cpu (reordering), nor the table its entries hash in.
    // A request: the OS cpu it went to and the segment as the host got it.
    auto request = [&](u32 seq) {
        x.e.queues[0].push(build(client_data(sa, seq, 10)));
        x.step();
        int ring = -1;
        for (size_t i = 0; i < x.e.host.rings.size(); ++i)
            if (!x.e.host.rings[i].empty()) ring = static_cast<int>(i);
        auto h = x.host();
        REQUIRE(h.size() == 1);
        return std::make_pair(ring, h[0]);
    };
    const int ring_before = request(kClientIsn + 1).first;
    x.fw->reload(&next, {});
    CHECK(x.st("reloads") == 1);
    CHECK(x.st("proxy_conns") == 1);

    // The established connection goes on translated, as before the reload, to the same cpu.
    const auto [ring_after, seg] = request(kClientIsn + 11);
    CHECK(ring_after == ring_before);
    CHECK(seg.ack == kServerIsn + 1);
    CHECK(seg.tsecr == 900050);
    // The cookie from before the reload opens its connection.
    Seg ack2;
    ack2.sport = kCport + 1;
    ack2.seq = kClientIsn + 1;
    ack2.ack = sa2.seq + 1;
    ack2.flags = net::kTcpAck;
    ack2.opts = ts_opt(1112, sa2.tsval);
    x.e.queues[0].push(build(ack2));
    x.step();
    CHECK(x.st("cookie_valid") == 2);
    CHECK(x.st("cookie_invalid") == 0);
    // The new rule decides from the next frame on.
    Seg bad;
    bad.src = net::ipv4(203, 0, 113, 9);
    bad.flags = net::kTcpSyn;
    x.e.queues[0].push(build(bad));
    x.step();
    CHECK(x.st("rule0_hits") == 1);
    CHECK(x.st("dropped_rule") == 1);
}

TEST_CASE("SYN proxy: a reload that would break proxied connections is refused by field")
{
    Proxy x;
    const ServiceKind& k = *find_service("firewall");
    ConfigError err;
    auto refused = [&](void (*change)(Firewall::Config&)) {
        Firewall::Config next = x.cfg;
        change(next);
        REQUIRE(Firewall::validate(next, err));
        return k.reload_check(&x.cfg, &next, &err) ? std::string() : std::string(err.field);
    };
    CHECK(refused([](Firewall::Config& c) { c.synproxy = false; }) == "synproxy");
    CHECK(refused([](Firewall::Config& c) { c.synproxy_port_max = 81; }) == "synproxy_port_min");
    CHECK(refused([](Firewall::Config& c) { c.synproxy_connections = 128; }) == "synproxy_connections");
    CHECK(refused([](Firewall::Config& c) { c.synproxy_mss = 1400; }) == "synproxy_mss");
    CHECK(refused([](Firewall::Config& c) { c.synproxy_idle_timeout_s = 60; }) == "synproxy_idle_timeout_s");
    CHECK(refused([](Firewall::Config& c) { c.syn_limit = true; c.syn_limit_pps = 5; c.syn_limit_burst = 5; }).empty());
    // A service without a reload refuses every config, saying so.
    const ServiceKind& timer = *find_service("timer");
    std::vector<u8> a(timer.config_size), b(timer.config_size);
    timer.defaults(a.data());
    timer.defaults(b.data());
    CHECK_FALSE(timer.reload_check(a.data(), b.data(), &err));
    CHECK(std::string(err.message).find("cannot change its config while attached") != std::string::npos);
}
