#include "services/net/checksum.h"

#include "services/net/byte_order.h"

namespace offsched::net {

namespace {
// A native-order sum of words folded to 16 bits (end-around carries) and swapped to network order.
u32 fold_to_network(u64 acc)
{
    while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
    u32 v = static_cast<u32>(acc);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    v = ((v & 0xff) << 8) | (v >> 8);
#endif
    return v;
}
} // namespace

u32 csum_add(u32 sum, const u8* p, u32 len)
{
    // RFC 1071 section 2(B): the one's complement sum is byte-order independent, so words are
    // summed in native order, 32 bits at a time into a 64-bit accumulator (no carries lost),
    // and the folded result is swapped to network order once at the end.
    u64 acc = 0;
    for (; len >= 4; p += 4, len -= 4) {
        u32 w;
        __builtin_memcpy(&w, p, 4);
        acc += w;
    }
    if (len >= 2) {
        u16 w;
        __builtin_memcpy(&w, p, 2);
        acc += w;
        p += 2;
        len -= 2;
    }
    if (len) { // odd trailing byte: the high byte of a network-order word padded with zero
        const u8 pad[2] = {p[0], 0};
        u16 w;
        __builtin_memcpy(&w, pad, 2);
        acc += w;
    }
    u64 total = static_cast<u64>(sum) + fold_to_network(acc);
    while (total >> 32) total = (total & 0xffffffffull) + (total >> 32);
    return static_cast<u32>(total);
}

u16 csum_fold(u32 sum)
{
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<u16>(~sum);
}

u16 ipv4_header_checksum(const u8* hdr, u16 ihl_bytes)
{
    if (ihl_bytes != 20) return csum_fold(csum_add(0, hdr, ihl_bytes));
    // The header without options (nearly every packet, checked on every one): the same
    // native-order sum as csum_add, unrolled over its five words. A one's complement sum does not
    // depend on how the carries are folded, so the result is bit-identical.
    u32 w[5];
    __builtin_memcpy(w, hdr, sizeof w);
    return static_cast<u16>(~fold_to_network(static_cast<u64>(w[0]) + w[1] + w[2] + w[3] + w[4]));
}

u16 l4_checksum(u32 src_ip, u32 dst_ip, u8 proto, const u8* l4, u16 l4_len)
{
    // The pseudo-header's words summed as numbers (network-order values), folded into the
    // network-order sum csum_add keeps; no 12-byte buffer.
    u64 pseudo = (src_ip >> 16) + (src_ip & 0xffff) + (dst_ip >> 16) + (dst_ip & 0xffff) + proto + l4_len;
    while (pseudo >> 16) pseudo = (pseudo & 0xffff) + (pseudo >> 16);
    return csum_fold(csum_add(static_cast<u32>(pseudo), l4, l4_len));
}

u16 l4_checksum6(const u8* src16, const u8* dst16, u8 proto, const u8* l4, u16 l4_len)
{
    // RFC 8200 8.1: source, destination, upper-layer length (32 bits), three zero bytes and the
    // next header. The addresses are summed from the packet as they are.
    u64 pseudo = static_cast<u64>(proto) + l4_len;
    for (u32 i = 0; i < 16; i += 2) pseudo += load_be16(src16 + i) + load_be16(dst16 + i);
    while (pseudo >> 16) pseudo = (pseudo & 0xffff) + (pseudo >> 16);
    return csum_fold(csum_add(static_cast<u32>(pseudo), l4, l4_len));
}

namespace {
// One's complement sum of the network-order 16-bit words in [p, p + n), n even.
u32 word_sum(const u8* p, u32 n)
{
    u32 s = 0;
    for (u32 i = 0; i < n; i += 2) s += load_be16(p + i);
    return s;
}
} // namespace

void csum_rewrite(u8* check, const u8* region, u8* field, const u8* bytes, u32 n)
{
    if (!((field - region) & 1) && !(n & 1)) { // aligned words (seq, ack, most options): RFC 1624 eqn. 3 per word
        u32 sum = static_cast<u16>(~load_be16(check));
        for (u32 i = 0; i < n; i += 2) sum += static_cast<u16>(~load_be16(field + i)) + load_be16(bytes + i);
        copy_bytes(field, bytes, n);
        while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
        store_be16(check, static_cast<u16>(~sum));
        return;
    }
    // The aligned words that cover the field, before and after.
    u8* lo = field - ((field - region) & 1);
    u8* hi = field + n + ((field + n - region) & 1);
    const u32 old_sum = word_sum(lo, static_cast<u32>(hi - lo));
    copy_bytes(field, bytes, n);
    const u32 new_sum = word_sum(lo, static_cast<u32>(hi - lo));
    u32 o = old_sum; // folded to 16 bits, so ~o is the one's complement of the old words' sum
    while (o >> 16) o = (o & 0xffff) + (o >> 16);
    u32 sum = static_cast<u16>(~load_be16(check));
    sum += static_cast<u16>(~o);
    sum += new_sum;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    store_be16(check, static_cast<u16>(~sum));
}

void csum_rewrite_be32(u8* check, const u8* region, u8* field, u32 v)
{
    u8 b[4];
    store_be32(b, v);
    csum_rewrite(check, region, field, b, 4);
}

void csum_rewrite_be16(u8* check, const u8* region, u8* field, u16 v)
{
    u8 b[2];
    store_be16(b, v);
    csum_rewrite(check, region, field, b, 2);
}

} // namespace offsched::net
