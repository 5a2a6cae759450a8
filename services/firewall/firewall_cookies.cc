// The SYN-cookie half of the firewall (syncookies mode): answering SYNs, validating ACKs, and
// handing validated connections to the OS.
#include "services/firewall/firewall.h"
#include "services/firewall/syn_cookie.h"
#include "services/net/build.h"
#include "services/net/byte_order.h"
#include "services/net/headers.h"

namespace offsched {

using namespace firewall;

namespace {
net::FlowKey key_of(const net::ParsedFrame& p)
{
    return net::FlowKey{p.src_ip, p.dst_ip, p.src_port, p.dst_port, p.proto};
}
constexpr u16 kCookieWindow = 65535;
} // namespace

void Firewall::handle_protected(const Frame& f, const net::ParsedFrame& p, u32 queue, u64 now)
{
    const u8 flags = p.tcp_flags & (net::kTcpSyn | net::kTcpAck | net::kTcpRst);
    const net::FlowKey k = key_of(p);
    if (flags == net::kTcpSyn) {
        if (syn_allowed(now)) queue_cookie(p, queue, now);
        return;
    }
    if (flows_.touch(k, now)) {
        if (flags & net::kTcpRst) flows_.erase(k);
        return pass_up(f, cpu_for(p));
    }
    if (flags != net::kTcpAck) return count(kDroppedNoFlow);
    u8 mss_index = 0;
    if (!check_cookie(cfg_.cookie_secret, k, p.seq - 1, p.ack - 1, cookie_slot(now), &mss_index))
        return count(kCookiesInvalid);
    count(kCookiesValid);
    if (flows_.insert(k, now)) count(kFlowEvictions);
    const u32 cpu = cpu_for(p);
    pass_reconstructed_syn(p, mss_index, cpu);
    pass_up(f, cpu);
}

void Firewall::queue_cookie(const net::ParsedFrame& p, u32 queue, u64 now)
{
    const u8 mss_index = cookie_mss_index(p.mss);
    net::TcpSpec s{};
    env_.queues[queue]->mac(s.addr.src_mac);
    net::copy_bytes(s.addr.dst_mac, p.src_mac, 6);
    s.addr.src_ip = p.dst_ip;
    s.addr.dst_ip = p.src_ip;
    s.addr.src_port = p.dst_port;
    s.addr.dst_port = p.src_port;
    s.seq = make_cookie(cfg_.cookie_secret, key_of(p), p.seq, cookie_slot(now), mss_index);
    s.ack = p.seq + 1;
    s.flags = net::kTcpSyn | net::kTcpAck;
    s.window = kCookieWindow;
    s.mss = kCookieMss[mss_index];
    s.wscale = 0xff;
    const u16 len = net::build_tcp(s, tx_buf_[tx_count_], kReplyCap);
    tx_[tx_count_] = Frame{tx_buf_[tx_count_], len, static_cast<u16>(queue), 0, now};
    ++tx_count_;
}

void Firewall::flush_tx(u32 queue)
{
    if (!tx_count_) return;
    const u32 sent = env_.queues[queue]->tx_burst(tx_, tx_count_);
    stats_[kCookiesSent].add(sent);
    stats_[kCookieTxFull].add(tx_count_ - sent);
    tx_count_ = 0;
}

// What the OS receives for a validated connection: this SYN (client ISN, the MSS the cookie
// encodes, the client's window, no other options), then the client's ACK unchanged, on one cpu.
void Firewall::pass_reconstructed_syn(const net::ParsedFrame& p, u8 mss_index, u32 cpu)
{
    net::TcpSpec s{};
    net::copy_bytes(s.addr.src_mac, p.src_mac, 6);
    net::copy_bytes(s.addr.dst_mac, p.dst_mac, 6);
    s.addr.src_ip = p.src_ip;
    s.addr.dst_ip = p.dst_ip;
    s.addr.src_port = p.src_port;
    s.addr.dst_port = p.dst_port;
    s.addr.ttl = p.ttl;
    s.addr.ip_id = p.ip_id;
    s.seq = p.seq - 1;
    s.flags = net::kTcpSyn;
    s.window = p.window;
    s.mss = kCookieMss[mss_index];
    s.wscale = 0xff;
    const u16 len = net::build_tcp(s, syn_buf_, kReplyCap);
    count(kSynSynthesized);
    pass_up(Frame{syn_buf_, len, 0, 0, 0}, cpu);
}

} // namespace offsched
