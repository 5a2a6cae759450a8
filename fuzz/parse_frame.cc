// parse_frame on arbitrary bytes, IPv4 and IPv6: never reads past len (ASan), and whatever it
// accepts is self-consistent (offsets inside the frame, the extension-header walk bounded).
#include <cstdlib>
#include <vector>

#include "services/net/headers.h"
#include "services/net/parse.h"

using namespace offsched;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 0xffff) return 0;
    std::vector<uint8_t> exact(data, data + size); // heap copy of exactly size bytes
    net::ParsedFrame p;
    const net::ParseError v4 = net::parse_frame(exact.data(), static_cast<u16>(size), &p);
    if (net::parse_frame(exact.data(), static_cast<u16>(size), &p, net::IpFamilies::Ipv4AndIpv6) != net::ParseError::Ok)
        return 0;
    if (p.l4_offset > size || p.payload_offset + p.payload_len > size) abort();
    if (p.l3_offset + p.ip_total_len > size) abort();
    if (p.l3_offset + p.ip_header_len != p.l4_offset || p.l4_offset + p.l4_len > size) abort();
    // Asking for IPv4 only changes nothing about IPv4 frames and refuses IPv6 ones as not ours.
    if ((p.ip_version == 4) != (v4 == net::ParseError::Ok)) abort();
    if (p.ip_version == 6 && (v4 != net::ParseError::NotIp || p.ext_headers > net::kMaxIpv6ExtHeaders)) abort();
    net::l4_checksum_ok(exact.data(), p);
    return 0;
}
