// Timer service counters: ids and stable names. The fire_err_* buckets are a log2 histogram of
// (fired - deadline) in ns: fire_err_Xns counts errors in [X, 2X) ns (fire_err_0ns: exactly 0).
#pragma once

#include "model/stats.h"

namespace offsched::timer {

constexpr u32 kErrBuckets = 20;

enum Stat : u32 {
    kRequests,
    kArmed,
    kCancelled,
    kRejected,
    kFired,
    kLate,
    kCompletionsDropped,
    kPeriodsSkipped,
    kFireErrMaxNs,
    kFireErrFirst,
    kStatCount = kFireErrFirst + kErrBuckets,
};

inline constexpr StatDesc kStatDescs[kStatCount] = {
    {"requests", "requests drained from the request ring"},
    {"armed", "arm requests accepted"},
    {"cancelled", "cancel requests for armed timers"},
    {"rejected", "requests refused (bad id, op, or period below min_period_ns)"},
    {"fired", "expiries fired"},
    {"late", "expiries fired more than late_threshold_ns after their deadline"},
    {"completions_dropped", "expiries whose completion record found the ring full"},
    {"periods_skipped", "periods of periodic timers skipped because they were already past"},
    {"fire_err_max_ns", "largest (fired - deadline) seen, ns"},
    {"fire_err_0ns", "fired exactly on the deadline cycle's ns"},
    {"fire_err_1ns", "error in [1, 2) ns"},
    {"fire_err_2ns", "error in [2, 4) ns"},
    {"fire_err_4ns", "error in [4, 8) ns"},
    {"fire_err_8ns", "error in [8, 16) ns"},
    {"fire_err_16ns", "error in [16, 32) ns"},
    {"fire_err_32ns", "error in [32, 64) ns"},
    {"fire_err_64ns", "error in [64, 128) ns"},
    {"fire_err_128ns", "error in [128, 256) ns"},
    {"fire_err_256ns", "error in [256, 512) ns"},
    {"fire_err_512ns", "error in [512, 1024) ns"},
    {"fire_err_1024ns", "error in [1.024, 2.048) us"},
    {"fire_err_2048ns", "error in [2.048, 4.096) us"},
    {"fire_err_4096ns", "error in [4.096, 8.192) us"},
    {"fire_err_8192ns", "error in [8.192, 16.384) us"},
    {"fire_err_16384ns", "error in [16.384, 32.768) us"},
    {"fire_err_32768ns", "error in [32.768, 65.536) us"},
    {"fire_err_65536ns", "error in [65.536, 131.072) us"},
    {"fire_err_131072ns", "error in [131.072, 262.144) us"},
    {"fire_err_262144ns", "error of 262.144 us or more"},
};

} // namespace offsched::timer
