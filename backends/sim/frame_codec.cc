#include "backends/sim/frame_codec.h"

#include <algorithm>

#include "backends/sim/rng.h"
#include "services/net/build.h"
#include "services/net/headers.h"
#include "services/net/parse.h"

namespace offsched::sim {

namespace {
const uint8_t kBanner[] = "SSH-2.0-OpenSSH_9.2p1\r\n";
const uint8_t kZeros[1518] = {};

net::L3Addrs addrs(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
    net::L3Addrs a{};
    std::copy(kPeerMac, kPeerMac + 6, a.src_mac);
    std::copy(kHostMac, kHostMac + 6, a.dst_mac);
    a.src_ip = src;
    a.dst_ip = dst;
    a.src_port = sport;
    a.dst_port = dport;
    return a;
}

// Zipf-like: index = n * u^4 for uniform u in [0, 1) (32-bit fixed point): low indices dominate.
uint32_t skewed_index(uint64_t r, uint32_t n)
{
    const uint64_t u = r >> 32;
    const uint64_t u2 = (u * u) >> 32;
    const uint64_t u4 = (u2 * u2) >> 32;
    return static_cast<uint32_t>((u4 * n) >> 32);
}
} // namespace

FrameCodec::FrameCodec(const SimParams& p, const Rss& rss, const Clients& clients, uint64_t seed)
    : p_(p), rss_(rss), clients_(clients), seed_(seed), bg_by_queue_(p.nic.queues)
{
}

void FrameCodec::set_bg_flows_of_queue(uint32_t q, std::vector<uint32_t> flows) { bg_by_queue_[q] = std::move(flows); }

// Flood packet k of queue q: source address and port drawn from (seed, q, k); the port is redrawn
// until the Toeplitz hash really lands on q, so the bytes agree with the queue they sit in.
uint16_t FrameCodec::build_flood(uint32_t q, uint64_t k, uint8_t* buf, uint16_t cap, uint32_t* h) const
{
    const Ipv4Cidr net = p_.flood.src_net;
    const uint64_t span = net.prefix_len == 0 ? (1ull << 32) : (1ull << (32 - net.prefix_len));
    const uint32_t n = static_cast<uint32_t>(std::min<uint64_t>(p_.flood.sources, span));
    const uint64_t r = keyed_random(seed_, 0x100 + q, k);
    const uint32_t idx = p_.flood.source_dist == 1 ? skewed_index(r, n) : static_cast<uint32_t>(r % n);
    const uint32_t src = net.addr + idx;
    const auto dport = static_cast<uint16_t>(p_.machine.ssh_port);
    uint16_t sport = 0;
    for (uint32_t tries = 0; tries < 64; ++tries) {
        sport = static_cast<uint16_t>(1024 + keyed_random(seed_, 0x200 + q, k * 64 + tries) % 64512);
        *h = rss_.hash(src, p_.machine.server_ip, sport, dport);
        if (rss_.queue_of_hash(*h) == q) break;
    }
    net::TcpSpec s{};
    s.addr = addrs(src, p_.machine.server_ip, sport, dport);
    s.seq = static_cast<uint32_t>(r);
    s.flags = net::kTcpSyn;
    s.window = 1024;
    s.wscale = 0xff;
    return net::build_tcp(s, buf, cap);
}

uint16_t FrameCodec::build(const Slot& s, uint32_t i, uint8_t* buf, uint16_t cap, uint32_t* h) const
{
    switch (s.kind) {
    case PktKind::Flood:
        return build_flood(s.queue, s.first + i, buf, cap, h);
    case PktKind::Legit: {
        const Conn& c = clients_.conn(s.conn);
        const auto dport = static_cast<uint16_t>(p_.machine.ssh_port);
        net::TcpSpec t{};
        t.addr = addrs(c.ip, p_.machine.server_ip, c.port, dport);
        t.window = 64240;
        t.wscale = 0xff;
        if (s.seg == LegitSeg::Syn) {
            t.seq = c.isn;
            t.flags = net::kTcpSyn;
            t.mss = 1460;
            t.wscale = 7;
            t.sack_perm = true;
        } else { // the handshake ACK carries the client's banner (its first data segment)
            t.seq = c.isn + 1;
            t.ack = c.server_isn + 1;
            t.flags = net::kTcpAck | net::kTcpPsh;
            t.payload = kBanner;
            t.payload_len = sizeof kBanner - 1;
        }
        *h = rss_.hash(c.ip, p_.machine.server_ip, c.port, dport);
        return net::build_tcp(t, buf, cap);
    }
    case PktKind::Background: {
        const std::vector<uint32_t>& flows = bg_by_queue_[s.queue];
        const uint64_t k = s.first + i;
        const uint32_t f = flows.empty() ? 0 : flows[k % flows.size()];
        const auto dport = static_cast<uint16_t>(p_.background.dst_port);
        net::TcpSpec t{};
        t.addr = addrs(bg_ip(f), p_.machine.server_ip, bg_port(f), dport);
        t.seq = static_cast<uint32_t>(k * 1448);
        t.ack = 1;
        t.flags = net::kTcpAck;
        t.window = 501;
        t.wscale = 0xff;
        const uint32_t hdrs = 14 + 20 + 20 + 4; // Ethernet + IPv4 + TCP + FCS
        t.payload = kZeros;
        t.payload_len = static_cast<uint16_t>(p_.background.frame_bytes > hdrs ? p_.background.frame_bytes - hdrs : 0);
        *h = rss_.hash(t.addr.src_ip, t.addr.dst_ip, t.addr.src_port, dport);
        return net::build_tcp(t, buf, cap);
    }
    case PktKind::Count: break;
    }
    return 0;
}

bool FrameCodec::classify_passed(const uint8_t* data, uint16_t len, Slot* out) const
{
    net::ParsedFrame pf;
    *out = Slot{};
    out->kind = PktKind::Background;
    if (net::parse_frame(data, len, &pf) != net::ParseError::Ok || pf.proto != net::kIpProtoTcp) return false;
    const int64_t conn = clients_.find(pf.src_ip, pf.src_port);
    const bool syn = (pf.tcp_flags & (net::kTcpSyn | net::kTcpAck)) == net::kTcpSyn;
    if (conn >= 0 && pf.dst_port == p_.machine.ssh_port) {
        out->kind = PktKind::Legit;
        out->conn = static_cast<uint32_t>(conn);
        out->seg = syn ? LegitSeg::Syn : LegitSeg::Ack;
        return true;
    }
    if (syn && pf.dst_port == p_.machine.ssh_port) {
        out->kind = PktKind::Flood;
        return true;
    }
    return pf.dst_port == p_.background.dst_port;
}

bool FrameCodec::classify_tx(const uint8_t* data, uint16_t len, TxInfo* out) const
{
    net::ParsedFrame pf;
    *out = TxInfo{};
    if (net::parse_frame(data, len, &pf) != net::ParseError::Ok || pf.proto != net::kIpProtoTcp) return false;
    const int64_t conn = clients_.find(pf.dst_ip, pf.dst_port);
    out->syn_ack = (pf.tcp_flags & (net::kTcpSyn | net::kTcpAck)) == (net::kTcpSyn | net::kTcpAck);
    out->seq = pf.seq;
    if (conn >= 0) {
        out->to_client = true;
        out->conn = static_cast<uint32_t>(conn);
    }
    return true;
}

} // namespace offsched::sim
