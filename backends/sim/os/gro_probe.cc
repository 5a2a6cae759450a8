#include "backends/sim/os/gro_probe.h"

#include "model/frame.h"
#include "services/net/headers.h"
#include "services/net/parse.h"

namespace offsched::sim {

bool bg_segments_continue(const FrameCodec& codec, uint32_t q)
{
    Slot s;
    s.kind = PktKind::Background;
    s.queue = static_cast<uint16_t>(q);
    s.count = 2;
    uint8_t a[kMaxFrameLen], b[kMaxFrameLen];
    uint32_t ha = 0, hb = 0;
    const uint16_t la = codec.build(s, 0, a, sizeof a, &ha);
    const uint16_t lb = codec.build(s, 1, b, sizeof b, &hb);
    net::ParsedFrame pa, pb;
    if (net::parse_frame(a, la, &pa) != net::ParseError::Ok || net::parse_frame(b, lb, &pb) != net::ParseError::Ok) return false;
    return pa.proto == net::kIpProtoTcp && pa.payload_len > 0 && pa.src_ip == pb.src_ip && pa.dst_ip == pb.dst_ip &&
           pa.src_port == pb.src_port && pa.dst_port == pb.dst_port && pb.seq == pa.seq + pa.payload_len;
}

} // namespace offsched::sim
