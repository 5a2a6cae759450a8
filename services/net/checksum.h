// Internet checksum (RFC 1071) for IPv4 headers and TCP/UDP/ICMPv6 with the IPv4 or IPv6 pseudo-header.
#pragma once

#include "model/types.h"

namespace offsched::net {

// Adds big-endian 16-bit words of p[0..len) to a running one's complement sum. Only the last
// chunk of a checksummed range may have an odd length (the odd byte is padded with zero).
u32 csum_add(u32 sum, const u8* p, u32 len);
// Folds carries and complements: the value to store in a checksum field.
u16 csum_fold(u32 sum);

// Checksum of an IPv4 header of ihl_bytes with its checksum field treated as it is (store 0
// first when computing; a correct header then verifies to 0).
u16 ipv4_header_checksum(const u8* hdr, u16 ihl_bytes);
// TCP/UDP checksum over pseudo-header (addresses in host order) + l4 bytes (header + payload).
u16 l4_checksum(u32 src_ip, u32 dst_ip, u8 proto, const u8* l4, u16 l4_len);
// The same over the IPv6 pseudo-header; the addresses are 16 bytes in network order.
u16 l4_checksum6(const u8* src16, const u8* dst16, u8 proto, const u8* l4, u16 l4_len);

// Overwrites n bytes at `field` with `bytes` and updates the checksum stored at `check` without
// summing the packet again (RFC 1624, HC' = ~(~HC + ~m + m')). `region` is where the checksummed
// words start (the L4 header), so a field at an odd offset is handled; the field must lie inside
// an even-length header.
void csum_rewrite(u8* check, const u8* region, u8* field, const u8* bytes, u32 n);
// The same for one big-endian 32-bit or 16-bit field.
void csum_rewrite_be32(u8* check, const u8* region, u8* field, u32 v);
void csum_rewrite_be16(u8* check, const u8* region, u8* field, u16 v);

} // namespace offsched::net
