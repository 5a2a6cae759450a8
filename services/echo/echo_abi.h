// What echo's clients share with it: request and reply records, the rings that carry them, and
// their text and summary forms (model/channels.h), so a backend moves them as bytes.
//   text request  "echo ID" (the record is stamped with the cycle it was posted)
//   summary       err_ns = answered - posted (how long the request waited for the service
//                 core), seq = the reply's number from 1, periods = 1, due = posted
#pragma once

#include "model/channels.h"
#include "services/ring/mpsc_ring.h"
#include "services/ring/spsc_ring.h"

namespace offsched::echo {

struct EchoRequest {
    u64 id;
    u64 posted;   // cycles, when an online CPU posted it
};

struct EchoReply {
    u64 id;
    u64 posted;
    u64 answered; // cycles, when the service core answered
    u64 seq;      // replies from 1 (a jump = replies lost to a full ring)
};

constexpr u32 kRequestRingSize = 64;
constexpr u32 kReplyRingSize = 256;
using RequestRing = MpscRing<EchoRequest, kRequestRingSize>;
using ReplyRing = SpscRing<EchoReply, kReplyRingSize>;

bool request_from_text(const char* text, u32 len, const RequestContext& ctx, void* record);
void summarize(const void* record, u32 khz, CompletionSummary* out);

constexpr ChannelSpec channels()
{
    ChannelSpec c;
    c.request_bytes = sizeof(EchoRequest);
    c.request_from_text = request_from_text;
    c.completion_bytes = sizeof(EchoReply);
    c.completion_slots = kReplyRingSize;
    c.summarize = summarize;
    c.os_stats = true;
    return c;
}

} // namespace offsched::echo
