// Counters a service writes and the OS side reads without locks. Each counter has exactly one
// writer (the service core), so an increment is a relaxed load+store, never a locked RMW.
#pragma once

#include "model/atomic.h"

namespace offsched {

struct Counter {
    u64 value = 0;
    void add(u64 n = 1) { store_relaxed(&value, value + n); }
    void set(u64 v) { store_relaxed(&value, v); }
    u64 read() const { return load_relaxed(&value); }
};

// How a backend that runs one service on several cores reports a counter as one figure: events
// add up; a moment (a last-seen time) is the latest of the cores'.
enum class StatMerge : u8 { Sum, Max };

// Describes one counter so backends can print and export stats without knowing the service.
struct StatDesc {
    const char* name; // snake_case, stable: used as JSON key and sysfs/CLI column
    const char* help; // one line
    StatMerge merge = StatMerge::Sum;
};

} // namespace offsched
