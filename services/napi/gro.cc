#include "services/napi/gro.h"

#include "services/net/byte_order.h"
#include "services/net/checksum.h"
#include "services/net/headers.h"

namespace offsched::napi {

namespace {
bool same_key(const net::FlowKey& a, const net::FlowKey& b)
{
    return a.src_ip == b.src_ip && a.dst_ip == b.dst_ip && a.src_port == b.src_port && a.dst_port == b.dst_port &&
           a.proto == b.proto;
}
} // namespace

void Gro::init(u32 max_segments, u32 max_bytes)
{
    max_segs_ = max_segments < kMaxSegs ? max_segments : kMaxSegs;
    max_bytes_ = max_bytes < sizeof merged_ ? max_bytes : sizeof merged_ - 1;
    for (Batch& b : batches_) b.open = false;
}

bool Gro::eligible(const net::ParsedFrame& p)
{
    constexpr u8 kAllowed = net::kTcpAck | net::kTcpPsh;
    return p.proto == net::kIpProtoTcp && p.ip_header_len == net::kIpv4MinHeaderLen && (p.tcp_flags & net::kTcpAck) &&
           (p.tcp_flags & ~kAllowed) == 0 && p.payload_len > 0;
}

bool Gro::continues(const Batch& b, const Frame& f, const net::ParsedFrame& p) const
{
    if (p.seq != b.next_seq || p.ack != b.ack || (b.flags_or & net::kTcpPsh)) return false;
    const u16 tcp_hdr = static_cast<u16>(p.payload_offset - p.l4_offset);
    if (tcp_hdr != b.tcp_hdr_len || b.count >= max_segs_ || b.bytes + p.payload_len > max_bytes_) return false;
    // Options byte-identical to the head's (as Linux's tcp_gro_receive requires).
    const u8* a = b.head.data + b.head_p.l4_offset + net::kTcpMinHeaderLen;
    const u8* c = f.data + p.l4_offset + net::kTcpMinHeaderLen;
    for (u16 i = 0; i < tcp_hdr - net::kTcpMinHeaderLen; ++i)
        if (a[i] != c[i]) return false;
    return true;
}

Gro::Batch* Gro::find(const net::FlowKey& k)
{
    for (Batch& b : batches_)
        if (b.open && same_key(b.key, k)) return &b;
    return nullptr;
}

Gro::Batch* Gro::open(const Frame& f, const net::ParsedFrame& p, Emit& out)
{
    Batch* slot = nullptr;
    for (Batch& b : batches_) {
        if (!b.open) { slot = &b; break; }
        if (!slot || b.order < slot->order) slot = &b;
    }
    if (slot->open) {
        ++evictions_;
        flush(*slot, out, false);
    }
    Batch& b = *slot;
    b.open = true;
    b.key = net::flow_key(p);
    b.ack = p.ack;
    b.order = order_++;
    b.hdr_len = p.payload_offset;
    b.tcp_hdr_len = static_cast<u16>(p.payload_offset - p.l4_offset);
    b.bytes = p.payload_offset;
    b.flags_or = 0;
    b.count = 0;
    b.head = f;
    b.head_p = p;
    return slot;
}

void Gro::add(const Frame& f, const net::ParsedFrame& p, Emit& out)
{
    const net::FlowKey k = net::flow_key(p);
    Batch* b = find(k);
    if (!eligible(p)) {
        if (b) flush(*b, out, false); // keep the flow's order
        return out.emit(f, k, 1, false);
    }
    if (b && !continues(*b, f, p)) {
        const bool limit = b->count >= max_segs_ || b->bytes + p.payload_len > max_bytes_ || (b->flags_or & net::kTcpPsh);
        flush(*b, out, limit);
        b = nullptr;
    }
    if (!b) b = open(f, p, out);
    b->segs[b->count++] = Seg{f.data, p.payload_offset, p.payload_len};
    b->bytes += p.payload_len;
    b->flags_or |= p.tcp_flags;
    b->next_seq = p.seq + p.payload_len;
    if ((p.tcp_flags & net::kTcpPsh) || b->count >= max_segs_) flush(*b, out, true);
}

void Gro::flush_all(Emit& out)
{
    // Oldest first, so flows keep the order in which their batches were opened.
    for (;;) {
        Batch* oldest = nullptr;
        for (Batch& b : batches_)
            if (b.open && (!oldest || b.order < oldest->order)) oldest = &b;
        if (!oldest) return;
        flush(*oldest, out, false);
    }
}

void Gro::flush(Batch& b, Emit& out, bool limit_closed)
{
    b.open = false;
    if (b.count == 1) return out.emit(b.head, b.key, 1, limit_closed);
    u8* m = merged_;
    net::copy_bytes(m, b.head.data, b.hdr_len);
    u32 at = b.hdr_len;
    for (u32 i = 0; i < b.count; ++i) {
        net::copy_bytes(m + at, b.segs[i].data + b.segs[i].off, b.segs[i].len);
        at += b.segs[i].len;
    }
    u8* ip = m + b.head_p.l3_offset;
    const u16 ip_total = static_cast<u16>(at - b.head_p.l3_offset);
    net::store_be16(ip + 2, ip_total);
    net::store_be16(ip + 10, 0);
    net::store_be16(ip + 10, net::ipv4_header_checksum(ip, b.head_p.ip_header_len));
    u8* tcp = m + b.head_p.l4_offset;
    tcp[13] = b.flags_or;
    net::store_be16(tcp + 16, 0);
    const u16 l4_len = static_cast<u16>(ip_total - b.head_p.ip_header_len);
    net::store_be16(tcp + 16, net::l4_checksum(b.head_p.src_ip, b.head_p.dst_ip, net::kIpProtoTcp, tcp, l4_len));
    Frame merged = b.head;
    merged.data = m;
    merged.len = static_cast<u16>(at);
    out.emit(merged, b.key, b.count, limit_closed);
}

} // namespace offsched::napi
