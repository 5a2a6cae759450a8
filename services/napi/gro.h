// GRO-like coalescing of consecutive TCP segments of one flow within one NIC burst. A segment
// joins its flow's open batch when it continues it exactly (seq == expected, same ack, same TCP
// header and options, only ACK/PSH set, no IP options); PSH closes the batch after joining, a
// limit closes it, anything else for that flow flushes it first. Batches never outlive the
// burst (the frames they reference are only valid until the next rx_burst).
// emit(frame, segments) receives either an original frame (1 segment) or the merged frame,
// rebuilt in an internal buffer with fixed IP length, IP and TCP checksums.
#pragma once

#include "model/frame.h"
#include "services/net/flow_hash.h"
#include "services/net/parse.h"

namespace offsched::napi {

class Gro {
public:
    static constexpr u32 kFlows = 8;   // open batches at once (Linux: MAX_GRO_SKBS = 8)
    static constexpr u32 kMaxSegs = 64;

    struct Emit {
        virtual void emit(const Frame& f, const net::FlowKey& k, u32 segments, bool limit_closed) = 0;

    protected:
        ~Emit() = default;
    };

    void init(u32 max_segments, u32 max_bytes);
    // Frame `f` (parsed as p) of the current burst. Non-eligible frames are emitted directly,
    // after their flow's open batch.
    void add(const Frame& f, const net::ParsedFrame& p, Emit& out);
    void flush_all(Emit& out);
    u32 evictions() const { return evictions_; }

private:
    struct Seg {
        const u8* data;
        u16 off;
        u16 len;
    };
    struct Batch {
        bool open;
        net::FlowKey key;
        u32 next_seq;
        u32 ack;
        u32 order;
        u16 hdr_len;   // bytes before the head's payload
        u16 tcp_hdr_len;
        u32 bytes;     // merged frame length so far
        u8 flags_or;
        u32 count;
        Frame head;
        net::ParsedFrame head_p;
        Seg segs[kMaxSegs];
    };

    static bool eligible(const net::ParsedFrame& p);
    bool continues(const Batch& b, const Frame& f, const net::ParsedFrame& p) const;
    Batch* find(const net::FlowKey& k);
    Batch* open(const Frame& f, const net::ParsedFrame& p, Emit& out);
    void flush(Batch& b, Emit& out, bool limit_closed);

    u32 max_segs_ = 1;
    u32 max_bytes_ = 0;
    u32 order_ = 0;
    u32 evictions_ = 0;
    Batch batches_[kFlows];
    u8 merged_[65536];
};

} // namespace offsched::napi
