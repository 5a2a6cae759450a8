// The timer's channels with the online CPUs (model/channels.h): requests (TimerRequest) any
// online CPU posts, completions (TimerCompletion) its one reader takes, and their text and
// summary forms, so a backend moves them without knowing the timer.
//   text request   "arm ID DELAY_NS PERIOD_NS" (first expiry DELAY_NS from now; PERIOD_NS 0 for
//                  a one-shot timer) | "cancel ID", fields separated by blanks, a final newline
//                  allowed
//   summary        err_ns = fired - deadline, seq = the expiry's number, periods = skipped + 1,
//                  due = deadline
//   Workload::Timers  each periodic activity is a timer armed with its id (periodic_request),
//                  up to Config::timer_count timers of at least Config::min_period_ns
#pragma once

#include "model/channels.h"
#include "services/timer/timer_abi.h"

namespace offsched::timer {

bool request_from_text(const char* text, u32 len, const RequestContext& ctx, void* record);
void summarize(const void* record, u32 khz, CompletionSummary* out);
void periodic_request(u32 index, u64 first, u64 period, void* record);
void periodic_limits(const void* config, PeriodicLimits* out);

constexpr ChannelSpec channels()
{
    ChannelSpec c;
    c.request_bytes = sizeof(TimerRequest);
    c.request_from_text = request_from_text;
    c.completion_bytes = sizeof(TimerCompletion);
    c.completion_slots = kCompletionRingSize;
    c.summarize = summarize;
    c.takes_over = Workload::Timers;
    c.periodic_request = periodic_request;
    c.periodic_limits = periodic_limits;
    return c;
}

} // namespace offsched::timer
