// tools/traffic's rtop listener (offsched-traffic --rtop-port) on Ethernet frames: it takes the
// UDP frames to its port and decodes their payload with the same collector as offsched-rtop.
#include <catch2/catch.hpp>

#include "services/net/build.h"
#include "services/net/byte_order.h"
#include "tests/rtop_tool/datagrams.h"
#include "tools/traffic/rtop_listener.h"

using namespace offsched;

namespace {
std::vector<uint8_t> udp_frame(const std::vector<uint8_t>& payload, uint16_t dst_port)
{
    net::UdpSpec u{};
    u.addr.src_ip = 0x0a00000a;
    u.addr.dst_ip = 0x0a000001;
    u.addr.src_port = 7171;
    u.addr.dst_port = dst_port;
    u.payload = payload.data();
    u.payload_len = static_cast<u16>(payload.size());
    std::vector<uint8_t> f(1600);
    f.resize(net::build_udp(u, f.data(), static_cast<u16>(f.size())));
    return f;
}
} // namespace

TEST_CASE("rtop listener: frames to its port are decoded, others are not its business")
{
    traffic::RtopListener l(7171);
    const auto s1 = test::rtop_datagram(1, 1, 1000, {{100, 900, 0, 0}, {0, 1000, 0, 0}});
    const auto s2 = test::rtop_datagram(3, 2, 2000, {{300, 1700, 0, 0}, {0, 2000, 0, 0}});
    auto bad = s2;
    bad[0] = 0;
    CHECK(l.handle(udp_frame(s1, 7171).data(), udp_frame(s1, 7171).size()));
    CHECK_FALSE(l.handle(udp_frame(s1, 53).data(), udp_frame(s1, 53).size()));
    CHECK(l.handle(udp_frame(bad, 7171).data(), udp_frame(bad, 7171).size()));
    CHECK(l.handle(udp_frame(s2, 7171).data(), udp_frame(s2, 7171).size()));
    const auto r = l.report();
    CHECK(r["datagrams"] == 3);
    CHECK(r["decode_errors"] == 1);
    CHECK(r["samples"] == 2);
    CHECK(r["total_cpus"] == 2);
    CHECK(r["lost"] == 1);
    CHECK(r["cpu0_time_advanced_ns"] == 1000);
}
