// The channels a service has with the online CPUs, beside its NIC queues and host path: what a
// service declares here (its registry row carries a ChannelSpec), each backend implements once,
// for every service, without knowing which service it serves.
//
//   request ring     online CPUs -> service: fixed-size records any online CPU may post
//                    (Service::post_request); a backend's device file posts them from text
//                    (ChannelSpec::request_from_text: the kernel's sysfs cpuN/request)
//   completion ring  service -> one online reader: fixed-size records (Service::take_completion)
//                    that report work done against a due time. The reader keeps what a client
//                    would measure (ChannelSpec::summarize): how late each completion was, the
//                    gaps in their sequence numbers (records lost to a full ring), and the
//                    periods they account for
//   OS statistics    the host publishes per-cpu figures into a page the service reads
//                    (model/os_stats.h, Service::os_stats_page); a service that streams them
//                    to a remote viewer says where (streams_to)
//   takes_over       the sim's host workload the service runs in the OS's place (timers, rt
//                    jobs): a design that offloads it leaves the workload off the OS model
// Frames the host sends and receives are the other channels: HostPath and HostTx (service.h).
#pragma once

#include "model/clock.h"
#include "model/types.h"

namespace offsched {

// Largest request or completion record a backend moves (it copies through a buffer this big).
constexpr u32 kMaxChannelRecord = 64;

// What a request's text form is read against: the service core's clock, now.
struct RequestContext {
    u64 now_cycles;
    u32 khz;
};

// What the online reader learns from one completion record.
struct CompletionSummary {
    u64 err_ns;  // how late it came: completed - due (0 when on time)
    u64 seq;     // its sequence number, from 1 (a jump = records lost)
    u64 periods; // the periods it accounts for (1, more when some were skipped)
    u64 due;     // the service core's cycle it was due at (a reader may count from a time on)
};

// CompletionSummary::err_ns of work done at `done` cycles that was due at `due` (0 when on time):
// exact (rounded down) for the spans a client sees, where the converter's multiply-shift would
// lose a nanosecond to rounding; longer spans (hours) take the converter.
inline u64 lateness_ns(u64 due, u64 done, u32 khz)
{
    if (done <= due) return 0;
    const u64 span = done - due;
    if (span < (1ull << 40)) return span * 1000000ull / khz;
    CycleConverter conv;
    conv.init(khz);
    return conv.to_ns(span);
}

// A host workload of the sim that a service can run instead of the OS.
//   Timers  periodic activities (count, period, first expiries spread over one period): the
//           sim's client starts each with the request ChannelSpec::periodic_request writes and
//           reads their expiries from the completion ring
//   RtJobs  the service's config carries the jobs; it reports them as the stats kRtJobsStats names
enum class Workload : u8 { None, Timers, RtJobs };

// Workload::RtJobs: the stats, by name, a service that takes the jobs over reports (every release
// since the start, deadline misses, overruns, longest response in ns), as the OS model counts them.
inline constexpr const char* kRtJobsStats[4] = {"releases", "deadline_misses", "overruns", "max_response_ns"};

// Workload::Timers: how many activities and how short a period a config takes, and the config
// fields that say so (for the error that names them).
struct PeriodicLimits {
    u32 max_count;
    u64 min_period_ns;
    const char* count_field;
    const char* period_field;
};

// os_stats: where a service that streams what it reads sends it, and how often (the sim's remote
// viewer listens there).
struct StreamTarget {
    u16 udp_port;
    u64 interval_ns;
};

struct ChannelSpec {
    u32 request_bytes = 0; // 0: no request ring
    // Fills `record` from one text request (no terminating NUL needed); false when malformed.
    bool (*request_from_text)(const char* text, u32 len, const RequestContext& ctx, void* record) = nullptr;
    u32 completion_bytes = 0; // 0: no completion ring
    u32 completion_slots = 0; // records the completion ring holds: a reader drains before it fills
    void (*summarize)(const void* record, u32 khz, CompletionSummary* out) = nullptr;
    bool os_stats = false;
    // os_stats: fills `out` from `config` when the service streams the figures out (rtop wire
    // format, services/rtop/rtop_wire.h) to a viewer; null when it only reads them.
    void (*streams_to)(const void* config, StreamTarget* out) = nullptr;
    Workload takes_over = Workload::None;
    // Workload::Timers: the request that starts periodic activity `index`, first due at cycle
    // `first` and every `period` cycles after.
    void (*periodic_request)(u32 index, u64 first, u64 period, void* record) = nullptr;
    void (*periodic_limits)(const void* config, PeriodicLimits* out) = nullptr;
};

} // namespace offsched
