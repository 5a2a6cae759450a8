// The timer's channels with the online CPUs (model/channels.h): requests (TimerRequest) any
// online CPU posts, completions (TimerCompletion) its one reader takes, and their text and
// summary forms, so a backend moves them without knowing the timer.
//   text request   "arm ID DELAY_NS PERIOD_NS" (first expiry DELAY_NS from now; PERIOD_NS 0 for
//                  a one-shot timer) | "cancel ID", fields separated by blanks, a final newline
//                  allowed
//   summary        err_ns = fired - deadline, seq = the expiry's number, periods = skipped + 1
#pragma once

#include "model/channels.h"
#include "services/timer/timer_abi.h"

namespace offsched::timer {

bool request_from_text(const char* text, u32 len, const RequestContext& ctx, void* record);
void summarize(const void* record, u32 khz, CompletionSummary* out);

constexpr ChannelSpec channels()
{
    ChannelSpec c;
    c.request_bytes = sizeof(TimerRequest);
    c.request_from_text = request_from_text;
    c.completion_bytes = sizeof(TimerCompletion);
    c.summarize = summarize;
    c.takes_over = Workload::Timers;
    return c;
}

} // namespace offsched::timer
