// The OS statistics page (model/channels.h): per-cpu figures the host publishes for a service
// that declares it reads them (ChannelSpec::os_stats; rtop streams them), in a fixed-layout
// struct protected by a seqlock. One writer (an online cpu: the companion work on the kernel
// backend, the OS model in the sim) updates it with os_stats_write_begin/end; the service only
// reads (os_stats_read), retrying while a write is in progress, so it never blocks the writer and
// never sees a torn sample.
#pragma once

#include "model/atomic.h"

namespace offsched {

constexpr u32 kOsStatsMaxCpus = 64;

struct CpuSample {
    u64 busy_ns;     // non-idle time, excluding irq/softirq, since boot
    u64 idle_ns;
    u64 irq_ns;
    u64 softirq_ns;
    u32 nr_running;  // runqueue length at the sample
    u32 reserved;
};

struct OsStats {
    u32 cpu_count;           // valid entries in cpus[]
    u32 reserved;
    u64 mem_total_kb;
    u64 mem_available_kb;
    CpuSample cpus[kOsStatsMaxCpus];
};

struct OsStatsPage {
    u32 seq; // even: stable; odd: writer inside
    u32 reserved;
    OsStats data;
};

// Writer side (exactly one writer). Between begin and end, write data fields with store_relaxed.
inline void os_stats_write_begin(OsStatsPage* s)
{
    store_relaxed(&s->seq, s->seq + 1);
    __atomic_thread_fence(__ATOMIC_RELEASE);
}
inline void os_stats_write_end(OsStatsPage* s) { store_release(&s->seq, s->seq + 1); }

// Convenience for writers: publishes a whole OsStats value under the seqlock.
void os_stats_publish(OsStatsPage* s, const OsStats& v);

// Reader side: copies a consistent snapshot. False after max_tries attempts that all overlapped
// a write (the caller counts it and tries again later).
bool os_stats_read(const OsStatsPage* s, OsStats* out, u32 max_tries);

} // namespace offsched
