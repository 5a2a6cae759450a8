#include "services/timer/timer_channels.h"

#include "model/clock.h"
#include "services/common/text_words.h"
#include "services/timer/timer_config.h"

namespace offsched::timer {

bool request_from_text(const char* text, u32 len, const RequestContext& ctx, void* record)
{
    TextWords w{text, text + len};
    TimerRequest r{};
    u64 id = 0, delay = 0, period = 0;
    if (w.word("arm")) {
        if (!w.number(~0u, &id) || !w.number(~0ull, &delay) || !w.number(~0ull, &period) || !w.done()) return false;
        CycleConverter conv;
        conv.init(ctx.khz);
        r.op = kArm;
        r.deadline = ctx.now_cycles + conv.from_ns(delay);
        r.period = conv.from_ns(period);
    } else if (w.word("cancel")) {
        if (!w.number(~0u, &id) || !w.done()) return false;
        r.op = kCancel;
    } else {
        return false;
    }
    r.id = static_cast<u32>(id);
    __builtin_memcpy(record, &r, sizeof r);
    return true;
}

void summarize(const void* record, u32 khz, CompletionSummary* out)
{
    TimerCompletion c;
    __builtin_memcpy(&c, record, sizeof c);
    out->err_ns = lateness_ns(c.deadline, c.fired, khz);
    out->seq = c.seq;
    out->periods = static_cast<u64>(c.skipped) + 1;
    out->due = c.deadline;
}

void periodic_request(u32 index, u64 first, u64 period, void* record)
{
    const TimerRequest r{kArm, index, first, period};
    __builtin_memcpy(record, &r, sizeof r);
}

void periodic_limits(const void* config, PeriodicLimits* out)
{
    Config c;
    __builtin_memcpy(&c, config, sizeof c);
    *out = PeriodicLimits{c.timer_count, c.min_period_ns, "timer_count", "min_period_ns"};
}

} // namespace offsched::timer
