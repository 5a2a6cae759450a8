// Test frame factory on top of services/net builders.
#pragma once

#include <vector>

#include "services/net/build.h"
#include "services/net/byte_order.h"
#include "services/net/headers.h"

namespace offsched::test {

struct Pkt {
    u32 src = net::ipv4(192, 168, 1, 10);
    u32 dst = net::ipv4(10, 0, 0, 1);
    u16 sport = 40000;
    u16 dport = 80;
    u8 flags = net::kTcpAck;
    u32 seq = 1000;
    u32 ack = 0;
    u16 mss = 0;
    bool udp = false;
    u16 payload = 0;
    // IPv6 instead of IPv4: src6/dst6 replace src/dst (2001:db8::10 -> 2001:db8::1 by default).
    bool v6 = false;
    u64 src6[2] = {0x20010db800000000ull, 0x10};
    u64 dst6[2] = {0x20010db800000000ull, 0x1};
    u8 hop_limit = 0; // 0: 64
};

inline std::vector<uint8_t> make(const Pkt& p)
{
    net::L3Addrs a{};
    a.src_mac[0] = 0x02;
    a.src_mac[5] = 0x01;
    a.dst_mac[0] = 0x02;
    a.dst_mac[5] = 0xaa;
    a.src_ip = p.src;
    a.dst_ip = p.dst;
    a.src_port = p.sport;
    a.dst_port = p.dport;
    a.ipv6 = p.v6;
    a.src_ip6[0] = p.src6[0];
    a.src_ip6[1] = p.src6[1];
    a.dst_ip6[0] = p.dst6[0];
    a.dst_ip6[1] = p.dst6[1];
    a.ttl = p.hop_limit;
    std::vector<uint8_t> payload(p.payload, 0x5a);
    std::vector<uint8_t> f(1600);
    u16 len;
    if (p.udp) {
        net::UdpSpec s{a, payload.data(), p.payload};
        len = net::build_udp(s, f.data(), static_cast<u16>(f.size()));
    } else {
        net::TcpSpec s{};
        s.addr = a;
        s.seq = p.seq;
        s.ack = p.ack;
        s.flags = p.flags;
        s.window = 29200;
        s.mss = p.mss;
        s.wscale = 0xff;
        s.payload = payload.data();
        s.payload_len = p.payload;
        len = net::build_tcp(s, f.data(), static_cast<u16>(f.size()));
    }
    f.resize(len);
    return f;
}

inline std::vector<uint8_t> syn(u32 src, u16 dport = 80, u16 sport = 40000)
{
    Pkt p;
    p.src = src;
    p.dport = dport;
    p.sport = sport;
    p.flags = net::kTcpSyn;
    p.mss = 1460;
    return make(p);
}

} // namespace offsched::test
