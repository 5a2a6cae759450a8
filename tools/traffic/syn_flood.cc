#include "tools/traffic/syn_flood.h"

#include <cstring>

#include "services/net/build.h"
#include "services/net/headers.h"

namespace offsched::traffic {

SynFlood::SynFlood(FrameLink& link, const FloodParams& p, uint64_t seed) : link_(link), p_(p), rng_(seed) {}

void SynFlood::start(std::chrono::steady_clock::time_point now) { start_ = now; }

void SynFlood::tick(std::chrono::steady_clock::time_point now, uint64_t max_burst)
{
    if (!p_.rate_pps) return;
    const uint64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now - start_).count();
    const uint64_t due = static_cast<uint64_t>((static_cast<unsigned __int128>(ns) * p_.rate_pps) / 1000000000u);
    const uint32_t host_bits = 32 - p_.sources.prefix_len;
    uint8_t frame[80];
    for (uint64_t n = 0; sent_ < due && n < max_burst; ++n) {
        net::TcpSpec s{};
        std::memcpy(s.addr.src_mac, p_.src_mac, 6);
        std::memcpy(s.addr.dst_mac, p_.dst_mac, 6);
        const uint64_t r = rng_();
        s.addr.src_ip = p_.sources.addr | (host_bits ? static_cast<uint32_t>(r) & ((1ull << host_bits) - 1) : 0);
        s.addr.dst_ip = p_.dst_ip;
        s.addr.src_port = static_cast<uint16_t>(1024 + ((r >> 32) % 60000));
        s.addr.dst_port = p_.dst_port;
        s.addr.ip_id = static_cast<uint16_t>(r >> 48);
        s.seq = static_cast<uint32_t>(rng_());
        s.flags = net::kTcpSyn;
        s.window = 64240;
        s.mss = 1460;
        s.wscale = 0xff;
        const uint16_t len = net::build_tcp(s, frame, sizeof frame);
        link_.send(frame, len);
        ++sent_;
    }
}

} // namespace offsched::traffic
