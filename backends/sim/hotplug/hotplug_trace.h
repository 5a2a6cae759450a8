// What the hotplug model records: the kernel's cpuhp trace events (cpuhp_enter,
// cpuhp_multi_enter, cpuhp_exit) with the same fields, plus "note" events for the machinery
// between callbacks (stop_machine, INIT/SIPI, migrations, play_dead) and a plain-English why.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace offsched::sim::hotplug {

enum class EventKind { Enter, MultiEnter, Exit, Note };

struct TraceEvent {
    uint64_t t_ns = 0;      // simulated time since the run started
    int on_cpu = 0;         // the CPU executing (ftrace's [00N] column)
    std::string task;       // the task executing (ftrace's TASK column)
    EventKind kind = EventKind::Note;
    int cpu = 0;            // the CPU being plugged (event field cpu:)
    int target_or_state = 0;// enter: st->target; exit: st->state
    int step = 0;           // idx
    std::string fn;         // enter: callback name
    int ret = 0;            // exit: return value
    bool traced = true;     // false: the kernel's tracepoint would not fire (CPU not online)
    std::string text;       // note: what happened
    std::string why;        // plain English for students ("" = none)
    int op = -1;            // index of the operation it belongs to (-1: setup)
};

// "cpuhp_enter: cpu: 0001 target: 153 step: 236 (cpuhp_kick_ap_work)" exactly as
// include/trace/events/cpuhp.h prints it; notes print as "hotplug: <text>".
std::string format_event_body(const TraceEvent& e);
// Full ftrace-like line: "  kworker/0:1 [000]  0.000123456: <body>".
std::string format_event_line(const TraceEvent& e);

// One entry of the cpuhp sequence the kernel trace shows (what tests compare with a real trace).
struct CpuhpRecord {
    EventKind kind; // Enter, MultiEnter or Exit
    int cpu;
    int target_or_state;
    int step;
    std::string fn; // enter only
    int ret;        // exit only
    int on_cpu = -1; // the CPU that emitted it (ftrace's [00N] column); -1 unknown
    bool operator==(const CpuhpRecord&) const = default;
};
// "[001] cpuhp_enter: ..." (the emitting CPU, then the event as the kernel prints it).
std::string format_record(const CpuhpRecord& r);

// The traced cpuhp events only (traced == true), in order.
std::vector<CpuhpRecord> cpuhp_records(const std::vector<TraceEvent>& events);

// Parses the cpuhp lines of a real ftrace buffer (`cat /sys/kernel/tracing/trace`); other lines
// are ignored. Returns false with *error naming the line if a cpuhp line is malformed.
bool parse_kernel_trace(const std::string& text, std::vector<CpuhpRecord>* out, std::string* error);

} // namespace offsched::sim::hotplug
