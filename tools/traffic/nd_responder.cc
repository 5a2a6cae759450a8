#include "tools/traffic/nd_responder.h"

#include <cstring>

#include "services/net/byte_order.h"
#include "services/net/checksum.h"
#include "services/net/headers.h"
#include "services/net/parse.h"

namespace offsched::traffic {

using namespace offsched::net;

namespace {
constexpr uint8_t kNeighbourSolicitation = 135;
constexpr uint8_t kNeighbourAdvertisement = 136;
constexpr uint8_t kOptTargetLinkAddr = 2;
} // namespace

NdResponder::NdResponder(FrameLink& link, const uint8_t mac[6], const uint64_t addr[2]) : link_(link)
{
    std::memcpy(mac_, mac, 6);
    store_be64(addr_, addr[0]);
    store_be64(addr_ + 8, addr[1]);
}

bool NdResponder::handle(const uint8_t* f, size_t len)
{
    ParsedFrame p{};
    if (len > 0xffff || parse_frame(f, static_cast<uint16_t>(len), &p, IpFamilies::Ipv4AndIpv6) != ParseError::Ok ||
        p.ip_version != 6 || p.proto != kIpProtoIcmpv6 || p.icmp_type != kNeighbourSolicitation)
        return false;
    // RFC 4861 4.3: type, code, checksum, reserved (4), target (16), options.
    const uint8_t* ns = f + p.l4_offset;
    const uint8_t* asker = f + p.l3_offset + 8;
    static const uint8_t kUnspecified[16] = {};
    if (p.l4_len < 24 || std::memcmp(ns + 8, addr_, 16) != 0 || std::memcmp(asker, kUnspecified, 16) == 0)
        return true; // not for us, or duplicate address detection (nobody to answer)
    // Solicited, override; with our link-layer address (RFC 4861 4.4).
    uint8_t r[kEthHeaderLen + kIpv6HeaderLen + 32] = {};
    std::memcpy(r, f + 6, 6);
    std::memcpy(r + 6, mac_, 6);
    store_be16(r + 12, kEtherTypeIpv6);
    uint8_t* ip = r + kEthHeaderLen;
    store_be32(ip, 0x60000000u);
    store_be16(ip + 4, 32);
    ip[6] = kIpProtoIcmpv6;
    ip[7] = 255;
    std::memcpy(ip + 8, addr_, 16);
    std::memcpy(ip + 24, asker, 16);
    uint8_t* na = ip + kIpv6HeaderLen;
    na[0] = kNeighbourAdvertisement;
    store_be32(na + 4, 0x60000000u); // S and O
    std::memcpy(na + 8, addr_, 16);
    na[24] = kOptTargetLinkAddr;
    na[25] = 1; // 8 bytes
    std::memcpy(na + 26, mac_, 6);
    store_be16(na + 2, l4_checksum6(ip + 8, ip + 24, kIpProtoIcmpv6, na, 32));
    link_.send(r, sizeof r);
    ++sent_;
    return true;
}

} // namespace offsched::traffic
