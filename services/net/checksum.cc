#include "services/net/checksum.h"

#include "services/net/byte_order.h"

namespace offsched::net {

u32 csum_add(u32 sum, const u8* p, u32 len)
{
    // 64-bit accumulator: no carry handling in the loop, fold once at the end.
    u64 acc = sum;
    u32 i = 0;
    for (; i + 1 < len; i += 2) acc += load_be16(p + i);
    if (i < len) acc += static_cast<u32>(p[i]) << 8;
    while (acc >> 32) acc = (acc & 0xffffffffull) + (acc >> 32);
    return static_cast<u32>(acc);
}

u16 csum_fold(u32 sum)
{
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<u16>(~sum);
}

u16 ipv4_header_checksum(const u8* hdr, u16 ihl_bytes) { return csum_fold(csum_add(0, hdr, ihl_bytes)); }

u16 l4_checksum(u32 src_ip, u32 dst_ip, u8 proto, const u8* l4, u16 l4_len)
{
    u8 pseudo[12];
    store_be32(pseudo, src_ip);
    store_be32(pseudo + 4, dst_ip);
    pseudo[8] = 0;
    pseudo[9] = proto;
    store_be16(pseudo + 10, l4_len);
    return csum_fold(csum_add(csum_add(0, pseudo, sizeof pseudo), l4, l4_len));
}

} // namespace offsched::net
