// What timer clients share with the timer service: request and completion records and the ring
// types that carry them. Clients on online cpus push TimerRequests into Timer::requests() (MPSC:
// any number of client cpus); exactly one reader drains Timer::completions() (SPSC). Times are
// absolute TSC cycles, the clock the service fires from (convert with model/clock.h).
#pragma once

#include "services/ring/mpsc_ring.h"
#include "services/ring/spsc_ring.h"

namespace offsched::timer {

enum TimerOp : u32 { kArm = 1, kCancel = 2 };

struct TimerRequest {
    u32 op;            // TimerOp
    u32 id;            // < Config::timer_count; re-arming an armed timer replaces it
    u64 deadline;      // kArm: absolute cycles of the first expiry
    u64 period;        // kArm: cycles between expiries, 0 for a one-shot timer
};

struct TimerCompletion {
    u32 id;
    u32 skipped;       // periods missed before this expiry (periodic timers fired late)
    u64 deadline;      // cycles it was due
    u64 fired;         // cycles when the service fired it
    u64 seq;           // expiry count of this service, from 1 (gaps = completions dropped)
};

constexpr u32 kRequestRingSize = 256;
constexpr u32 kCompletionRingSize = 1024;
using RequestRing = MpscRing<TimerRequest, kRequestRingSize>;
using CompletionRing = SpscRing<TimerCompletion, kCompletionRingSize>;

} // namespace offsched::timer
