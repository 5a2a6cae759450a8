#include "services/firewall/synproxy.h"

#include "services/firewall/firewall_stats.h"
#include "services/net/build.h"
#include "services/net/byte_order.h"
#include "services/net/checksum.h"
#include "services/net/headers.h"

namespace offsched::firewall {

using net::ParsedFrame;

namespace {

constexpr u8 kNoWs = 0xff;
constexpr u32 kSweepPerStep = 8;

// The addresses of a frame the proxy builds, from a frame of the connection it holds: the same
// direction (MACs, addresses, ports as in p) or the reverse. Both families; an IPv6 connection's
// addresses exist nowhere else (ProxyConn keeps only their digest).
net::L3Addrs addrs_of(const ParsedFrame& p, bool reverse)
{
    net::L3Addrs a{};
    net::copy_bytes(a.src_mac, reverse ? p.dst_mac : p.src_mac, 6);
    net::copy_bytes(a.dst_mac, reverse ? p.src_mac : p.dst_mac, 6);
    a.src_ip = reverse ? p.dst_ip : p.src_ip;
    a.dst_ip = reverse ? p.src_ip : p.dst_ip;
    a.src_port = reverse ? p.dst_port : p.src_port;
    a.dst_port = reverse ? p.src_port : p.dst_port;
    if (p.ip_version == 6) {
        a.ipv6 = true;
        const u64* src = reverse ? p.dst_ip6 : p.src_ip6;
        const u64* dst = reverse ? p.src_ip6 : p.dst_ip6;
        a.src_ip6[0] = src[0], a.src_ip6[1] = src[1];
        a.dst_ip6[0] = dst[0], a.dst_ip6[1] = dst[1];
    }
    return a;
}
// The flow a frame to the server belongs to, from a frame the server sent (the host path steers
// the proxy's frames as the client's own).
net::FlowKey to_server_flow(const ParsedFrame& from_server)
{
    return net::FlowKey{from_server.dst_ip, from_server.src_ip, from_server.dst_port, from_server.src_port, net::kIpProtoTcp};
}

u8 flag(const ParsedFrame& p, u8 bits) { return p.tcp_flags & bits; }
bool pure(const ParsedFrame& p, u8 want) // exactly `want` among SYN, ACK, RST, FIN
{
    return flag(p, net::kTcpSyn | net::kTcpAck | net::kTcpRst | net::kTcpFin) == want;
}

// Window shifts are packed in a byte: low nibble the shift the sender uses, high nibble the one
// the receiver assumes. Equal nibbles (the normal case) leave the window alone.
u8 shifts(u8 in, u8 out) { return static_cast<u8>(in | (out << 4)); }
u16 rescale(u16 w, u8 s)
{
    const u32 in = s & 15u, out = s >> 4;
    if (in == out) return w;
    const u32 v = (static_cast<u32>(w) << in) >> out;
    return v > 0xffff ? 0xffff : static_cast<u16>(v);
}

// In-place rewrites of a parsed TCP frame; each keeps the TCP checksum right.
struct TcpRewrite {
    u8* data;
    const ParsedFrame& p;
    u8* tcp() const { return data + p.l4_offset; }
    void be32(u8* field, u32 v) const { net::csum_rewrite_be32(tcp() + 16, tcp(), field, v); }
    void seq(u32 v) const { be32(tcp() + 4, v); }
    void ack(u32 v) const { be32(tcp() + 8, v); }
    void window(u16 v) const
    {
        if (v != p.window) net::csum_rewrite_be16(tcp() + 16, tcp(), tcp() + 14, v);
    }
    void tsval(u32 v) const { be32(data + p.ts_offset, v); }
    void tsecr(u32 v) const { be32(data + p.ts_offset + 4, v); }
    void sack_add(u32 delta) const
    {
        for (u32 b = 0; b < p.sack_blocks; ++b) {
            u8* edge = data + p.sack_offset + 8 * b;
            be32(edge, net::load_be32(edge) + delta);
            be32(edge + 4, net::load_be32(edge + 4) + delta);
        }
    }
};

} // namespace

// An IPv4 connection is keyed by its addresses; an IPv6 one by a keyed 64-bit digest of its 32
// address bytes. Without the key, two pairs that share a digest cannot be found (2^-64 a try), so
// one connection cannot be aimed at another's entry or cookie. Inline with the family test
// first: from_client is a constant at each call, and IPv4 frames pay no more than before.
inline ConnKey SynProxy::key_of(const ParsedFrame& p, bool from_client) const
{
    if (p.ip_version == 6) return key6_of(p, from_client);
    return from_client ? ConnKey{p.src_ip, p.dst_ip, p.src_port, p.dst_port, false}
                       : ConnKey{p.dst_ip, p.src_ip, p.dst_port, p.src_port, false};
}

ConnKey SynProxy::key6_of(const ParsedFrame& p, bool from_client) const
{
    const u64* client = from_client ? p.src_ip6 : p.dst_ip6;
    const u64* server = from_client ? p.dst_ip6 : p.src_ip6;
    const u64 words[4] = {client[0], client[1], server[0], server[1]};
    u8 bytes[sizeof words];
    __builtin_memcpy(bytes, words, sizeof words);
    const u64 d = siphash24(pair_key_, bytes, sizeof bytes);
    return from_client ? ConnKey{static_cast<u32>(d >> 32), static_cast<u32>(d), p.src_port, p.dst_port, true}
                       : ConnKey{static_cast<u32>(d >> 32), static_cast<u32>(d), p.dst_port, p.src_port, true};
}

void SynProxy::init(const Config& cfg, void* arena, u32 khz, Counter* stats, ProxyOutput* out)
{
    stats_ = stats;
    out_ = out;
    khz_ = khz ? khz : 1;
    mss_ = static_cast<u16>(cfg.synproxy_mss);
    mss6_ = static_cast<u16>(cfg.synproxy_mss6);
    // The digest key: from the secret, apart from the cookies' keys, fixed while attached (a
    // connection outlives any cookie slot).
    const SipKey seed{cfg.synproxy_secret, 0x7061697273000000ull};
    pair_key_ = SipKey{siphash24_2u64(seed, 0, 1), siphash24_2u64(seed, 0, 2)};
    wscale_ = static_cast<u8>(cfg.synproxy_wscale);
    sack_ = cfg.synproxy_sack;
    timestamps_ = cfg.synproxy_timestamps;
    cookies_.init(cfg.synproxy_secret, khz_);
    ConnTimeouts t;
    t.handshake = static_cast<u64>(khz_) * cfg.synproxy_handshake_timeout_ms;
    t.idle = static_cast<u64>(khz_) * 1000u * cfg.synproxy_idle_timeout_s;
    t.closing = static_cast<u64>(khz_) * 1000u * cfg.synproxy_close_timeout_s;
    table_.init(arena, cfg.synproxy_connections, cfg.hash_seed ^ 0x7c0ffee5u, t);
}

SynProxy::Verdict SynProxy::from_client(u8* data, const ParsedFrame& p, u32 queue, u64 now)
{
    const ConnKey key = key_of(p, true);
    ProxyConn* c = table_.find(key, now);
    if (pure(p, net::kTcpSyn)) {
        if (c && c->state == kConnClosing) { // a fresh connection on an old 4-tuple: start over
            count(kConnReopened);
            table_.release(c);
            c = nullptr;
        }
        // No connection, or one still waiting for the server (the client lost our SYN-ACK and
        // started over): answer with a cookie. A SYN on an established connection goes to the
        // server, whose challenge ACK (RFC 5961) comes back translated.
        if (!c || c->state == kConnSynSent) return client_syn(p, key, queue, now);
    }
    if (!c) {
        // Only an ACK can complete a handshake (data may ride on it, as SYNPROXY accepts).
        if (flag(p, net::kTcpSyn | net::kTcpRst | net::kTcpFin) || !flag(p, net::kTcpAck)) {
            count(kDroppedNoFlow);
            return Verdict::Dropped;
        }
        return client_new_ack(p, key, queue, now);
    }
    if (c->state == kConnSynSent) return client_in_handshake(*c, p, now);
    to_server(*c, data, p, now);
    return Verdict::Forward;
}

SynProxy::Verdict SynProxy::client_syn(const ParsedFrame& p, const ConnKey& key, u32 queue, u64 now)
{
    count(kSynReceived);
    const bool ts = timestamps_ && p.has_timestamp;
    const bool ecn = flag(p, net::kTcpEce | net::kTcpCwr) == (net::kTcpEce | net::kTcpCwr);
    net::TcpSpec s{};
    s.addr = addrs_of(p, true); // from the MAC the client sent to: ours
    s.seq = cookies_.make(cookie_tuple(key), p.seq, cookie_mss_index(p.mss, key.ipv6), now);
    s.ack = p.seq + 1;
    s.flags = net::kTcpSyn | net::kTcpAck;
    s.window = 0; // the client holds its data until the server's handshake is done
    s.mss = key.ipv6 ? mss6_ : mss_;
    s.wscale = kNoWs;
    if (ts) { // window scale, SACK and ECN only ride in the timestamp cookie (as SYNPROXY)
        TsCookieOptions o;
        o.wscale = p.wscale;
        o.sack = sack_ && p.sack_perm;
        o.ecn = ecn;
        s.timestamps = true;
        s.tsval = ts_cookie_encode(now_ms(now), o);
        s.tsecr = p.tsval;
        s.sack_perm = o.sack;
        if (p.wscale != kNoWs) s.wscale = wscale_;
        if (ecn) s.flags |= net::kTcpEce;
    }
    u8* buf = out_->wire_slot(queue);
    out_->send_wire(queue, net::build_tcp(s, buf, kProxyFrameCap), true);
    ++work_;
    return Verdict::Answered;
}

SynProxy::Verdict SynProxy::client_new_ack(const ParsedFrame& p, const ConnKey& key, u32 queue, u64 now)
{
    u8 idx = 0;
    if (!cookies_.check(cookie_tuple(key), p.seq - 1, p.ack - 1, now, &idx)) {
        count(kCookieInvalid);
        return Verdict::Dropped;
    }
    count(kCookieValid);
    bool evicted = false;
    ProxyConn* c = table_.claim(key, now, &evicted);
    if (evicted) count(kProxyEvictedClosing);
    if (!c) {
        count(kProxyTableFull);
        return Verdict::Dropped;
    }
    c->queue = static_cast<u8>(queue);
    c->mss = cookie_mss(idx, key.ipv6);
    c->cookie_isn = p.ack - 1;
    c->client_isn = p.seq - 1;
    c->client_ws = c->adv_ws = c->server_ws = kNoWs;
    c->client_win = p.window;
    if (timestamps_ && p.has_timestamp) { // its TSecr echoes our cookie TSval and the options in it
        const TsCookieOptions o = ts_cookie_decode(p.tsecr);
        c->flags |= kConnTs;
        c->its = p.tsecr;
        c->client_tsval = p.tsval;
        if (o.sack && sack_) c->flags |= kConnSack;
        if (o.ecn) c->flags |= kConnEcn;
        if (o.wscale != kNoWs) {
            c->client_ws = o.wscale;
            c->adv_ws = wscale_;
        }
    }
    table_.touch(c, kConnSynSent, now);
    send_server_syn(*c, p);
    return Verdict::Answered;
}

// The client acks our SYN-ACK again or probes our zero window (seq one below): the server's
// SYN-ACK has not come yet, so the SYN may have been lost on the way to the host: send it again.
SynProxy::Verdict SynProxy::client_in_handshake(ProxyConn& c, const ParsedFrame& p, u64 now)
{
    if (flag(p, net::kTcpRst)) { // the client gave up: the server drops its request sock too
        if (p.seq != c.client_isn + 1) { // not the client's own (a blind RST): keep the handshake
            count(kProxyRstIgnored);
            count(kDroppedNoFlow); // the frame's fate: dropped, as any stray segment
            return Verdict::Dropped;
        }
        table_.release(&c);
        return Verdict::Forward;
    }
    if (pure(p, net::kTcpAck) && !p.payload_len && p.ack == c.cookie_isn + 1 &&
        (p.seq == c.client_isn + 1 || p.seq == c.client_isn)) {
        count(kCookieRetrans);
        c.client_win = p.window;
        if (p.has_timestamp) c.client_tsval = p.tsval;
        send_server_syn(c, p);
        return Verdict::Answered;
    }
    count(kProxyEarlyData);
    return Verdict::Dropped;
}

void SynProxy::send_server_syn(const ProxyConn& c, const ParsedFrame& from)
{
    net::TcpSpec s{};
    s.addr = addrs_of(from, false);
    s.addr.ttl = from.ttl;
    s.addr.ip_id = from.ip_id;
    s.seq = c.client_isn;
    s.flags = net::kTcpSyn;
    if (c.flags & kConnEcn) s.flags |= net::kTcpEce | net::kTcpCwr;
    s.window = c.client_win;
    s.mss = c.mss;
    s.wscale = c.client_ws;
    s.sack_perm = (c.flags & kConnSack) != 0;
    if (c.flags & kConnTs) {
        s.timestamps = true;
        s.tsval = c.client_tsval;
    }
    u8 buf[kProxyFrameCap];
    out_->send_host(buf, net::build_tcp(s, buf, sizeof buf), net::flow_key(from));
    ++work_;
}

SynProxy::Verdict SynProxy::from_host(u8* data, const ParsedFrame& p, u32 queue, u64 now)
{
    ProxyConn* c = table_.find(key_of(p, false), now);
    if (!c) { // not proxied here: on the wire unchanged (a connection another core holds, if the
              // host's queue choice does not follow the NIC's steering, shows up here)
        count(kProxyHostUnknown);
        return Verdict::Forward;
    }
    if (c->state == kConnSynSent) {
        if (pure(p, net::kTcpSyn | net::kTcpAck) && p.ack == c->client_isn + 1) return server_synack(*c, data, p, queue, now);
        if (flag(p, net::kTcpRst)) { // refused (no listener): the client sees it in its numbers
            count(kProxyServerRst);
            TcpRewrite{data, p}.seq(c->cookie_isn + 1);
            table_.release(c);
            ++work_;
            return Verdict::Forward;
        }
        count(kProxyHostUnexpected);
        return Verdict::Dropped;
    }
    if (pure(p, net::kTcpSyn | net::kTcpAck)) { // the server repeats its SYN-ACK: our ACK was lost
        count(kProxySynackRetrans);
        send_server_ack(*c, p);
        return Verdict::Answered;
    }
    to_client(*c, data, p, now);
    return Verdict::Forward;
}

SynProxy::Verdict SynProxy::server_synack(ProxyConn& c, const u8*, const ParsedFrame& p, u32, u64 now)
{
    c.seq_delta = p.seq - c.cookie_isn;
    c.server_ws = p.wscale;
    if ((c.flags & kConnTs) && p.has_timestamp) {
        c.flags |= kConnServerTs;
        c.ts_off = p.tsval - c.its;
    }
    // Who scales by what (RFC 7323: only when both SYNs carried the option): the client believes
    // the server uses adv_ws; the server, that the client uses client_ws if it sent one back.
    const bool client_scales = c.adv_ws != kNoWs;
    const bool server_scales = c.client_ws != kNoWs && c.server_ws != kNoWs;
    c.win_shift = shifts(client_scales ? c.client_ws : 0, server_scales ? c.client_ws : 0);
    c.win_shift_sc = shifts(server_scales ? c.server_ws : 0, client_scales ? c.adv_ws : 0);
    if ((c.win_shift & 15) != (c.win_shift >> 4) || (c.win_shift_sc & 15) != (c.win_shift_sc >> 4))
        count(kProxyWscaleRescaled);
    c.client_nxt = c.client_isn + 1;
    c.server_nxt = p.seq + 1;
    table_.touch(&c, kConnEstablished, now);
    count(kProxyEstablished);
    send_server_ack(c, p);
    send_client_window(c, p);
    return Verdict::Answered;
}

void SynProxy::send_server_ack(const ProxyConn& c, const ParsedFrame& synack)
{
    net::TcpSpec s{};
    s.addr = addrs_of(synack, true); // as if from where the SYN-ACK goes
    s.seq = c.client_isn + 1;
    s.ack = synack.seq + 1;
    s.flags = net::kTcpAck;
    s.window = rescale(c.client_win, c.win_shift);
    s.wscale = kNoWs;
    if (c.flags & kConnServerTs) {
        s.timestamps = true;
        s.tsval = c.client_tsval;
        s.tsecr = synack.tsval;
    }
    u8 buf[kProxyFrameCap];
    out_->send_host(buf, net::build_tcp(s, buf, sizeof buf), to_server_flow(synack));
    ++work_;
}

// The client got window 0 in our SYN-ACK; this ACK, in the server's name, opens it.
void SynProxy::send_client_window(const ProxyConn& c, const ParsedFrame& synack)
{
    net::TcpSpec s{};
    s.addr = addrs_of(synack, false);
    s.seq = c.cookie_isn + 1;
    s.ack = c.client_isn + 1;
    s.flags = net::kTcpAck;
    // The SYN-ACK's window is never scaled; the client reads this one with adv_ws.
    s.window = rescale(synack.window, shifts(0, c.win_shift_sc >> 4));
    s.wscale = kNoWs;
    if (c.flags & kConnTs) {
        s.timestamps = true;
        s.tsval = c.its; // the server's TSval seen through the offset
        s.tsecr = c.client_tsval;
    }
    u8* buf = out_->wire_slot(c.queue);
    out_->send_wire(c.queue, net::build_tcp(s, buf, kProxyFrameCap), false);
    ++work_;
}

// Closing state follows FINs, and RSTs whose sequence number is exactly the sender's next one
// (RFC 5961's test for an immediate reset): a blind RST storm spoofing a connection's 4-tuple
// cannot push it into the short close timeout or make it evictable. Such RSTs still go on (the
// end host runs its own RFC 5961 checks) and are counted.
void SynProxy::track_close(ProxyConn& c, const ParsedFrame& p, bool from_client, u64 now)
{
    u32& nxt = from_client ? c.client_nxt : c.server_nxt;
    const u32 end = p.seq + p.payload_len + ((p.tcp_flags & net::kTcpFin) ? 1u : 0u);
    if (p.tcp_flags & net::kTcpRst) {
        if (p.seq == nxt) c.flags |= kConnRst;
        else count(kProxyRstIgnored);
    } else if (static_cast<i32>(end - nxt) > 0) {
        nxt = end;
    }
    if (p.tcp_flags & net::kTcpFin) c.flags |= from_client ? kConnFinClient : kConnFinServer;
    const bool closing = c.state == kConnClosing || (c.flags & (kConnRst | kConnFinClient | kConnFinServer));
    table_.touch(&c, closing ? kConnClosing : kConnEstablished, now);
}

void SynProxy::to_server(ProxyConn& c, u8* data, const ParsedFrame& p, u64 now)
{
    track_close(c, p, true, now);
    const TcpRewrite w{data, p};
    if (flag(p, net::kTcpAck)) {
        w.ack(p.ack + c.seq_delta);
        w.sack_add(c.seq_delta); // SACK blocks name the server's bytes
    }
    if ((c.flags & kConnServerTs) && p.has_timestamp) w.tsecr(p.tsecr + c.ts_off);
    w.window(rescale(p.window, c.win_shift));
    count(kProxyToServer);
    ++work_;
}

void SynProxy::to_client(ProxyConn& c, u8* data, const ParsedFrame& p, u64 now)
{
    track_close(c, p, false, now);
    const TcpRewrite w{data, p};
    w.seq(p.seq - c.seq_delta);
    if ((c.flags & kConnServerTs) && p.has_timestamp) w.tsval(p.tsval - c.ts_off);
    w.window(rescale(p.window, c.win_shift_sc));
    count(kProxyToClient);
    ++work_;
}

void SynProxy::sweep(u64 now)
{
    table_.sweep(now, kSweepPerStep);
    stats_[kProxyConns].set(table_.live());
    stats_[kProxyExpired].set(table_.expired());
}

} // namespace offsched::firewall
