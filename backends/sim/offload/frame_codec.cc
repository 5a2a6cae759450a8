#include "backends/sim/offload/frame_codec.h"

#include <algorithm>

#include "backends/sim/machine/rng.h"
#include "services/net/build.h"
#include "services/net/byte_order.h"
#include "services/net/headers.h"
#include "services/net/parse.h"

namespace offsched::sim {

namespace {
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

// A checksum patched by RFC 1624 (HC' = ~(~HC + m')) from the template's complemented checksum
// plus the words written where it had zeros. The flood's sums stay below 2^20, so two
// end-around-carry folds always finish.
inline uint16_t patched_checksum(uint32_t sum)
{
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(~sum);
}

// Uniform in [0, n) from 32 random bits, without a division.
inline uint32_t below(uint64_t r, uint32_t n) { return static_cast<uint32_t>(((r & 0xffffffffull) * n) >> 32); }

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
    init_flood_template();
}

// At most kPortsPerBucket ports per bucket of low hash bits: the table stays in L1 (4096
// distinct ports is plenty of variety; the flood's diversity is in its source addresses).
// Every bucket fills: 64512 ports over at most 512 buckets of a linear hash.
template <typename PortHash>
void FrameCodec::fill_port_buckets(PortHash port_hash, std::vector<uint16_t>* ports, std::vector<uint32_t>* hashes) const
{
    const uint32_t mask = rss_.entries() - 1; // a power of two (checked with the design)
    ports->assign(static_cast<size_t>(rss_.entries()) * kPortsPerBucket, 0);
    hashes->assign(ports->size(), 0);
    std::vector<uint32_t> fill(rss_.entries(), 0);
    for (uint32_t port = 1024; port < 65536; ++port) {
        const uint32_t b = port_hash(static_cast<uint16_t>(port)) & mask;
        if (fill[b] < kPortsPerBucket) (*ports)[b * kPortsPerBucket + fill[b]++] = static_cast<uint16_t>(port);
    }
    for (uint32_t b = 0; b < rss_.entries(); ++b)
        for (uint32_t j = fill[b]; j < kPortsPerBucket; ++j)
            (*ports)[b * kPortsPerBucket + j] = (*ports)[b * kPortsPerBucket + j % (fill[b] ? fill[b] : 1)];
    for (size_t i = 0; i < ports->size(); ++i) (*hashes)[i] = port_hash((*ports)[i]);
}

void FrameCodec::init_flood_template()
{
    net::TcpSpec s{};
    s.addr = addrs(0, p_.machine.server_ip, 0, static_cast<uint16_t>(p_.machine.ssh_port));
    s.flags = net::kTcpSyn;
    s.window = 1024;
    s.wscale = 0xff;
    flood_len_ = net::build_tcp(s, flood_tmpl_, sizeof flood_tmpl_);
    fill_port_buckets([this](uint16_t port) { return rss_.port_hash(port, 0); }, &ports_by_bits_, &port_hash_by_bits_);
    flood_fixed_hash_ = rss_.word_hash(1, p_.machine.server_ip) ^ rss_.port_hash(0, static_cast<uint16_t>(p_.machine.ssh_port));
    entries_by_queue_.assign(static_cast<size_t>(p_.nic.queues) * rss_.entries(), 0);
    entry_count_.assign(p_.nic.queues, 0);
    for (uint32_t e = 0; e < rss_.entries(); ++e) {
        const uint32_t q = rss_.queue_of_hash(e);
        entries_by_queue_[q * rss_.entries() + entry_count_[q]++] = e;
    }
    const Ipv4Cidr net = p_.flood.src_net;
    const uint64_t span = net.prefix_len == 0 ? (1ull << 32) : (1ull << (32 - net.prefix_len));
    flood_src_base_ = net.addr;
    flood_sources_ = static_cast<uint32_t>(std::min<uint64_t>(p_.flood.sources, span));
    for (uint32_t q = 0; q < p_.nic.queues; ++q) flood_stream_key_.push_back(keyed_random_key(seed_, 0x100 + q));
    ip_csum_inv_ = static_cast<uint16_t>(~net::load_be16(flood_tmpl_ + net::kEthHeaderLen + 10));
    tcp_csum_inv_ = static_cast<uint16_t>(~net::load_be16(flood_tmpl_ + net::kEthHeaderLen + net::kIpv4MinHeaderLen + 16));
    if (p_.flood.ipv6_percent) init_flood6_template();
}

void FrameCodec::init_flood6_template()
{
    net::TcpSpec s{};
    s.addr = addrs(0, 0, 0, static_cast<uint16_t>(p_.machine.ssh_port));
    s.addr.ipv6 = true;
    s.addr.dst_ip6[0] = kServerIp6[0];
    s.addr.dst_ip6[1] = kServerIp6[1];
    s.flags = net::kTcpSyn;
    s.window = 1024;
    s.wscale = 0xff;
    flood6_len_ = net::build_tcp(s, flood6_tmpl_, sizeof flood6_tmpl_);
    fill_port_buckets([this](uint16_t port) { return rss_.port6_hash(port, 0); }, &ports6_by_bits_, &port6_hash_by_bits_);
    flood6_fixed_hash_ = rss_.addr6_hash(1, kServerIp6) ^ rss_.port6_hash(0, static_cast<uint16_t>(p_.machine.ssh_port));
    const uint32_t len = p_.flood.src_net6.prefix_len; // at most 64 (checked with the design)
    flood6_host_mask_hi_ = ~prefix_mask64(len);
    tcp6_csum_inv_ = static_cast<uint16_t>(~net::load_be16(flood6_tmpl_ + net::kEthHeaderLen + net::kIpv6HeaderLen + 16));
}

// The IPv6 twin of build_flood's packet: source index idx (build_flood's draw) names one random
// address in src_net6, so flood.sources still counts distinct sources.
uint16_t FrameCodec::build_flood6(uint32_t q, uint32_t idx, uint64_t r, uint64_t r2, uint8_t* buf, uint16_t cap,
                                  uint32_t* h) const
{
    const uint64_t a = splitmix64(seed_ ^ (0x6000000000000000ull + idx));
    const uint64_t src[2] = {p_.flood.src_net6.v6[0] | (a & flood6_host_mask_hi_), splitmix64(a)};
    const uint16_t sport =
        port_onto(q, rss_.addr6_hash(0, src) ^ flood6_fixed_hash_, r2, ports6_by_bits_, port6_hash_by_bits_, h);
    if (cap < flood6_len_) return 0;
    const uint32_t seq = static_cast<uint32_t>(r);
    std::copy(flood6_tmpl_, flood6_tmpl_ + flood6_len_, buf);
    uint8_t* ip = buf + net::kEthHeaderLen;
    uint8_t* tcp = ip + net::kIpv6HeaderLen;
    net::store_be64(ip + 8, src[0]);
    net::store_be64(ip + 16, src[1]);
    net::store_be16(tcp, sport);
    net::store_be32(tcp + 4, seq);
    // The template's source, port and sequence were zero.
    uint32_t sum = tcp6_csum_inv_ + sport + (seq >> 16) + (seq & 0xffff);
    for (int i = 0; i < 8; ++i) sum += static_cast<uint16_t>(src[i / 4] >> (48 - 16 * (i % 4)));
    net::store_be16(tcp + 16, patched_checksum(sum));
    return flood6_len_;
}

// A source port that, with the rest of the tuple (hash share `fixed`), puts the frame on queue q:
// a random indirection entry of q, then a random port of the bucket that turns `fixed` into it.
inline uint16_t FrameCodec::port_onto(uint32_t q, uint32_t fixed, uint64_t r2, const std::vector<uint16_t>& ports,
                               const std::vector<uint32_t>& hashes, uint32_t* h) const
{
    const uint32_t target = entries_by_queue_[q * rss_.entries() + below(r2, entry_count_[q])];
    const uint32_t bucket = (fixed ^ target) & (rss_.entries() - 1);
    const size_t slot = bucket * kPortsPerBucket + ((r2 >> 32) & (kPortsPerBucket - 1));
    *h = fixed ^ hashes[slot];
    return ports[slot];
}

void FrameCodec::set_bg_flows_of_queue(uint32_t q, std::vector<uint32_t> flows) { bg_by_queue_[q] = std::move(flows); }

// Flood packet k of queue q: source address, port and ISN drawn from (seed, q, k). The port is
// chosen so that the Toeplitz hash really lands on q: the bytes agree with the queue they sit in.
uint16_t FrameCodec::build_flood(uint32_t q, uint64_t k, uint8_t* buf, uint16_t cap, uint32_t* h) const
{
    const uint64_t r = splitmix64(flood_stream_key_[q] + k); // keyed_random(seed_, 0x100 + q, k)
    const uint64_t r2 = splitmix64(r);
    const uint32_t n = flood_sources_;
    const uint32_t idx = p_.flood.source_dist == 1 ? skewed_index(r, n) : below(r, n);
    if (flood6_len_ && below(splitmix64(r2), 100) < p_.flood.ipv6_percent)
        return build_flood6(q, idx, r, r2, buf, cap, h);
    const uint32_t src = flood_src_base_ + idx;
    const uint16_t sport =
        port_onto(q, rss_.word_hash(0, src) ^ flood_fixed_hash_, r2, ports_by_bits_, port_hash_by_bits_, h);
    if (cap < flood_len_) return 0;
    const uint32_t seq = static_cast<uint32_t>(r);
    // A fixed-size copy is a few vector moves instead of a memcpy call; bytes past flood_len_
    // are not part of the frame.
    if (cap >= sizeof flood_tmpl_) __builtin_memcpy(buf, flood_tmpl_, sizeof flood_tmpl_);
    else std::copy(flood_tmpl_, flood_tmpl_ + flood_len_, buf);
    uint8_t* ip = buf + net::kEthHeaderLen;
    uint8_t* tcp = ip + net::kIpv4MinHeaderLen;
    net::store_be32(ip + 12, src);
    net::store_be16(tcp, sport);
    net::store_be32(tcp + 4, seq);
    // RFC 1624: HC' = ~(~HC + m') for fields that were zero in the template.
    const uint32_t src_words = (src >> 16) + (src & 0xffff);
    net::store_be16(ip + 10, patched_checksum(ip_csum_inv_ + src_words));
    net::store_be16(tcp + 16, patched_checksum(tcp_csum_inv_ + src_words + sport + (seq >> 16) + (seq & 0xffff)));
    return flood_len_;
}

uint16_t FrameCodec::build(const Slot& s, uint32_t i, uint8_t* buf, uint16_t cap, uint32_t* h) const
{
    switch (s.kind) {
    case PktKind::Flood:
        return build_flood(s.queue, s.first + i, buf, cap, h);
    case PktKind::Legit:
        *h = clients_.rss_hash(clients_.conn(s.conn));
        return build_legit(s, buf, cap);
    case PktKind::Background: {
        const std::vector<uint32_t>& flows = bg_by_queue_[s.queue];
        const uint64_t k = s.first + i;
        // The queue's packets take its flows in turn: packet k is packet k / n of flow k % n, and
        // each flow's sequence numbers continue its own previous segment.
        const uint64_t n = flows.empty() ? 1 : flows.size();
        const uint32_t f = flows.empty() ? 0 : flows[k % n];
        const auto dport = static_cast<uint16_t>(p_.background.dst_port);
        net::TcpSpec t{};
        t.addr = addrs(bg_ip(f), p_.machine.server_ip, bg_port(f), dport);
        t.ack = 1;
        t.flags = net::kTcpAck;
        t.window = 501;
        t.wscale = 0xff;
        const uint32_t hdrs = 14 + 20 + 20 + 4; // Ethernet + IPv4 + TCP + FCS
        t.payload = kZeros;
        t.payload_len = static_cast<uint16_t>(p_.background.frame_bytes > hdrs ? p_.background.frame_bytes - hdrs : 0);
        t.seq = static_cast<uint32_t>(k / n * t.payload_len);
        *h = rss_.hash(t.addr.src_ip, t.addr.dst_ip, t.addr.src_port, dport);
        return net::build_tcp(t, buf, cap);
    }
    case PktKind::Count: break;
    }
    return 0;
}

// A client's segment as Linux would send it: timestamps on every segment, window scale 7 and
// SACK offered in the SYN.
uint16_t FrameCodec::build_legit(const Slot& s, uint8_t* buf, uint16_t cap) const
{
    const Conn& c = clients_.conn(s.conn);
    const bool http = clients_.http();
    net::TcpSpec t{};
    t.addr = addrs(c.ip, p_.machine.server_ip, c.port, static_cast<uint16_t>(p_.machine.ssh_port));
    if (clients_.ipv6(c.ip)) set_ipv6(c.ip, &t.addr, false);
    t.window = 502; // 64256 bytes at window scale 7
    t.wscale = 0xff;
    t.timestamps = true;
    t.tsval = clients_.tsval(s.conn, s.t_ns > p_.legit.one_way_ns ? s.t_ns - p_.legit.one_way_ns : 0);
    t.tsecr = c.ts_recent;
    t.seq = c.isn + 1;
    t.ack = c.server_isn + 1;
    t.flags = net::kTcpAck;
    switch (s.seg) {
    case LegitSeg::Syn:
        t.seq = c.isn;
        t.ack = 0;
        t.tsecr = 0;
        t.flags = net::kTcpSyn;
        t.window = 64240;
        t.mss = 1460;
        t.wscale = 7;
        t.sack_perm = true;
        break;
    case LegitSeg::Ack: break;
    case LegitSeg::Probe: t.seq = c.isn; break; // a zero-window probe: one below what is next
    case LegitSeg::Data:
        t.flags |= net::kTcpPsh;
        t.payload = request_payload(http);
        t.payload_len = request_bytes(http);
        break;
    case LegitSeg::Fin:
        t.seq = c.isn + 1 + request_bytes(http);
        t.ack = c.server_isn + 1 + p_.legit.response_segments * uint32_t{kResponseSegmentBytes} + 1;
        t.flags |= net::kTcpFin;
        break;
    }
    return net::build_tcp(t, buf, cap);
}

// An IPv6 client's frames: its address and the host's, in the direction asked.
void FrameCodec::set_ipv6(uint32_t client, net::L3Addrs* a, bool to_client) const
{
    uint64_t c6[2];
    clients_.ip6(client, c6);
    a->ipv6 = true;
    const uint64_t* src = to_client ? kServerIp6 : c6;
    const uint64_t* dst = to_client ? c6 : kServerIp6;
    a->src_ip6[0] = src[0], a->src_ip6[1] = src[1];
    a->dst_ip6[0] = dst[0], a->dst_ip6[1] = dst[1];
}

uint16_t FrameCodec::build_host(uint32_t conn, const WireSeg& w, uint8_t* buf, uint16_t cap) const
{
    static const uint8_t kZeros[kResponseSegmentBytes] = {};
    const Conn& c = clients_.conn(conn);
    net::TcpSpec t{};
    std::copy(kHostMac, kHostMac + 6, t.addr.src_mac);
    std::copy(kPeerMac, kPeerMac + 6, t.addr.dst_mac);
    t.addr.src_ip = p_.machine.server_ip;
    t.addr.dst_ip = c.ip;
    t.addr.src_port = static_cast<uint16_t>(p_.machine.ssh_port);
    t.addr.dst_port = c.port;
    if (clients_.ipv6(c.ip)) set_ipv6(c.ip, &t.addr, true);
    t.seq = w.seq;
    t.ack = w.ack;
    t.flags = w.flags;
    t.window = w.window;
    t.wscale = 0xff;
    t.timestamps = true;
    t.tsval = w.tsval;
    t.tsecr = w.tsecr;
    if (w.flags & net::kTcpSyn) { // Linux's SYN-ACK to a client that offered everything
        t.mss = 1460;
        t.wscale = 7;
        t.sack_perm = true;
    }
    t.payload = kZeros;
    t.payload_len = w.payload < kResponseSegmentBytes ? w.payload : kResponseSegmentBytes;
    return net::build_tcp(t, buf, cap);
}

bool FrameCodec::classify_passed(const uint8_t* data, uint16_t len, Slot* out) const
{
    net::ParsedFrame pf;
    *out = Slot{};
    out->kind = PktKind::Background;
    if (net::parse_frame(data, len, &pf, net::IpFamilies::Ipv4AndIpv6) != net::ParseError::Ok || pf.proto != net::kIpProtoTcp)
        return false;
    const bool syn = net::is_pure_syn(pf);
    const int64_t conn = pf.ip_version == 6 ? clients_.find6(pf.src_ip6, pf.src_port) : clients_.find(pf.src_ip, pf.src_port);
    if (conn >= 0 && pf.dst_port == p_.machine.ssh_port) {
        out->kind = PktKind::Legit;
        out->conn = static_cast<uint32_t>(conn);
        const Conn& c = clients_.conn(out->conn);
        if (syn) out->seg = LegitSeg::Syn;
        else if (pf.tcp_flags & net::kTcpFin) out->seg = LegitSeg::Fin;
        else if (pf.payload_len) out->seg = LegitSeg::Data;
        else out->seg = pf.seq == c.isn ? LegitSeg::Probe : LegitSeg::Ack;
        // The server only accepts acks of what it sent: its SYN and, at most, the response and FIN.
        const uint32_t acked = pf.ack - (listener_isn(out->conn) + 1);
        out->bad_ack = !syn && acked > p_.legit.response_segments * uint32_t{kResponseSegmentBytes} + 1;
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
    // Fast path: an untagged IPv4/TCP frame without IP options to an address and port that is no
    // legitimate connection needs no parse (a reply to a spoofed source, by far the most common
    // transmit under a flood, even when clients share the flood's address space).
    if (len >= net::kEthHeaderLen + net::kIpv4MinHeaderLen + 4 && net::load_be16(data + 12) == net::kEtherTypeIpv4 &&
        data[net::kEthHeaderLen] == 0x45) {
        const uint8_t* ip = data + net::kEthHeaderLen;
        const uint32_t dst = net::load_be32(ip + 16);
        if (!clients_.is_client_ip(dst) || clients_.find(dst, net::load_be16(ip + net::kIpv4MinHeaderLen + 2)) < 0) return true;
    }
    if (net::parse_frame(data, len, &pf, net::IpFamilies::Ipv4AndIpv6) != net::ParseError::Ok || pf.proto != net::kIpProtoTcp)
        return false;
    const int64_t conn = pf.ip_version == 6 ? clients_.find6(pf.dst_ip6, pf.dst_port) : clients_.find(pf.dst_ip, pf.dst_port);
    if (conn >= 0 && pf.src_port == p_.machine.ssh_port) {
        out->to_client = true;
        out->conn = static_cast<uint32_t>(conn);
        out->seg = WireSeg{pf.tcp_flags, pf.seq, pf.ack, pf.window, pf.payload_len, pf.tsval, pf.tsecr};
    }
    return true;
}

} // namespace offsched::sim
