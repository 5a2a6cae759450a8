#include "tools/traffic/malformed.h"

#include <cstring>

#include "services/net/checksum.h"

namespace offsched::traffic {

namespace {

constexpr size_t kEth = 14;
constexpr size_t kIp = 20;

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
void put16(uint8_t* p, uint16_t v)
{
    p[0] = static_cast<uint8_t>(v >> 8);
    p[1] = static_cast<uint8_t>(v);
}

// Recomputes the IPv4 header checksum for a header of ihl_bytes at ip.
void fix_ip_checksum(uint8_t* ip, uint16_t ihl_bytes)
{
    put16(ip + 10, 0);
    put16(ip + 10, net::ipv4_header_checksum(ip, ihl_bytes));
}

} // namespace

const char* malformation_name(Malformation m)
{
    static const char* const names[] = {"runt", "ip_truncated", "ihl_too_small", "total_len_too_long",
                                        "total_len_too_short", "ip_checksum_bad", "ip_options", "first_fragment",
                                        "later_fragment", "vlan_tagged", "tcp_offset_bad", "tcp_truncated",
                                        "tcp_checksum_bad"};
    static_assert(sizeof names / sizeof *names == static_cast<size_t>(Malformation::Count));
    return m < Malformation::Count ? names[static_cast<size_t>(m)] : "?";
}

size_t malform(Malformation m, uint8_t* buf, size_t len, size_t cap)
{
    uint8_t* ip = buf + kEth;
    uint8_t* tcp = ip + kIp;
    switch (m) {
    case Malformation::Runt: return 10;
    case Malformation::IpTruncated: return kEth + 12;
    case Malformation::IhlTooSmall:
        ip[0] = 0x43;
        fix_ip_checksum(ip, kIp);
        return len;
    case Malformation::TotalLenTooLong:
        put16(ip + 2, static_cast<uint16_t>(be16(ip + 2) + 200));
        fix_ip_checksum(ip, kIp);
        return len;
    case Malformation::TotalLenTooShort:
        put16(ip + 2, 12);
        fix_ip_checksum(ip, kIp);
        return len;
    case Malformation::IpChecksumBad: put16(ip + 10, static_cast<uint16_t>(be16(ip + 10) ^ 0x5a5a)); return len;
    case Malformation::IpOptions: {
        if (len + 4 > cap) return len;
        std::memmove(tcp + 4, tcp, len - kEth - kIp);
        std::memset(tcp, 1, 4); // four NOP options
        ip[0] = 0x46;
        put16(ip + 2, static_cast<uint16_t>(be16(ip + 2) + 4));
        fix_ip_checksum(ip, kIp + 4);
        return len + 4;
    }
    case Malformation::FirstFragment:
        put16(ip + 6, 0x2000); // MF
        fix_ip_checksum(ip, kIp);
        return len;
    case Malformation::LaterFragment:
        put16(ip + 6, 185); // offset 1480 bytes
        fix_ip_checksum(ip, kIp);
        return len;
    case Malformation::VlanTagged:
        if (len + 4 > cap) return len;
        std::memmove(buf + 16, buf + 12, len - 12);
        put16(buf + 12, 0x8100);
        put16(buf + 14, 7); // VLAN 7, priority 0
        return len + 4;
    case Malformation::TcpOffsetBad: {
        tcp[12] = static_cast<uint8_t>(0x30 | (tcp[12] & 0x0f));
        return len;
    }
    case Malformation::TcpTruncated:
        put16(ip + 2, kIp + 10);
        fix_ip_checksum(ip, kIp);
        return kEth + kIp + 10;
    case Malformation::TcpChecksumBad: put16(tcp + 16, static_cast<uint16_t>(be16(tcp + 16) ^ 0xa5a5)); return len;
    case Malformation::Count: break;
    }
    return len;
}

} // namespace offsched::traffic
