#include "services/timer/timer_channels.h"

#include "model/clock.h"

namespace offsched::timer {

namespace {

// A cursor over the request text: blank-separated words, decimal numbers without overflow.
struct Words {
    const char* p;
    const char* end;
    static bool blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }
    void skip()
    {
        while (p < end && blank(*p)) ++p;
    }
    bool word(const char* w) // the next word is exactly w
    {
        skip();
        const char* q = p;
        while (*w && q < end && *q == *w) ++q, ++w;
        if (*w || (q < end && !blank(*q))) return false;
        p = q;
        return true;
    }
    bool number(u64 max, u64* out)
    {
        skip();
        if (p == end || *p < '0' || *p > '9') return false;
        u64 v = 0;
        for (; p < end && *p >= '0' && *p <= '9'; ++p) {
            const u64 d = static_cast<u64>(*p - '0');
            if (v > (max - d) / 10) return false;
            v = v * 10 + d;
        }
        *out = v;
        return p == end || blank(*p);
    }
    bool done()
    {
        skip();
        return p == end;
    }
};

} // namespace

bool request_from_text(const char* text, u32 len, const RequestContext& ctx, void* record)
{
    Words w{text, text + len};
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
    CycleConverter conv;
    conv.init(khz);
    out->err_ns = c.fired > c.deadline ? conv.to_ns(c.fired - c.deadline) : 0;
    out->seq = c.seq;
    out->periods = static_cast<u64>(c.skipped) + 1;
}

} // namespace offsched::timer
