// Turns a well-formed Ethernet/IPv4/TCP SYN into one of the malformed or unusual frames a
// filter on a production host meets (and must survive): runts, truncated or inconsistent
// headers, bad checksums, IP options, fragments, VLAN tags. `offsched-traffic --flood-malformed`
// cycles through every kind at the flood's rate.
#pragma once

#include <cstddef>
#include <cstdint>

namespace offsched::traffic {

enum class Malformation : uint8_t {
    Runt,             // shorter than an Ethernet header
    IpTruncated,      // ends inside the IPv4 header
    IhlTooSmall,      // IHL 3 (12 bytes)
    TotalLenTooLong,  // IPv4 total length beyond the frame
    TotalLenTooShort, // IPv4 total length below the header
    IpChecksumBad,
    IpOptions,        // IHL 6: one NOP word of options, checksums right
    FirstFragment,    // MF set, offset 0
    LaterFragment,    // offset 185 (1480 bytes): no TCP header in it
    VlanTagged,       // 802.1Q tag before the IPv4 EtherType
    TcpOffsetBad,     // TCP data offset 3
    TcpTruncated,     // total length covers 10 bytes of the TCP header
    TcpChecksumBad,
    Count,
};

const char* malformation_name(Malformation m);

// Rewrites the frame of len bytes in buf (capacity cap, at least len + 8) and returns the new
// length. The frame must be what net::build_tcp writes (IPv4 without options, TCP).
size_t malform(Malformation m, uint8_t* buf, size_t len, size_t cap);

} // namespace offsched::traffic
