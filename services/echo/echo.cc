#include "services/echo/echo.h"

#include "services/common/config_check.h"
#include "services/common/text_words.h"

namespace offsched {

namespace echo {

void set_defaults(Config& c) { c.max_per_step = 32; }

bool check(const Config& c, ConfigError& err)
{
    err = ConfigError{};
    return check_schema_ranges(kConfigSchema, &c, err);
}

bool request_from_text(const char* text, u32 len, const RequestContext& ctx, void* record)
{
    TextWords w{text, text + len};
    EchoRequest r{};
    if (!w.word("echo") || !w.number(~0ull, &r.id) || !w.done()) return false;
    r.posted = ctx.now_cycles;
    __builtin_memcpy(record, &r, sizeof r);
    return true;
}

void summarize(const void* record, u32 khz, CompletionSummary* out)
{
    EchoReply r;
    __builtin_memcpy(&r, record, sizeof r);
    out->err_ns = lateness_ns(r.posted, r.answered, khz);
    out->seq = r.seq;
    out->periods = 1;
    out->due = r.posted;
}

} // namespace echo

using namespace echo;

Echo::Echo(const ServiceEnv& env, const Config& cfg) : env_(env), cfg_(cfg)
{
    requests_.init();
    replies_.init();
}

StepResult Echo::step(u32 budget)
{
    StepResult r;
    EchoRequest req;
    while (r.work_units < budget && r.work_units < cfg_.max_per_step && requests_.pop(&req)) {
        stats_[kRequests].add();
        const EchoReply reply{req.id, req.posted, env_.clock->cycles(), ++seq_};
        if (replies_.push(reply)) stats_[kReplies].add();
        else stats_[kRepliesDropped].add();
        ++r.work_units;
    }
    // A new sample since the last step (the page's seqlock count moved): read it whole.
    const u32 seq = load_acquire(&page_.seq);
    if (seq != page_seq_ && !(seq & 1) && os_stats_read(&page_, &snap_, 1)) {
        page_seq_ = seq;
        stats_[kOsSamples].add();
        stats_[kOsCpus].set(snap_.cpu_count);
    }
    return r;
}

bool Echo::post_request(const void* record)
{
    EchoRequest r;
    __builtin_memcpy(&r, record, sizeof r);
    return requests_.push(r);
}

bool Echo::take_completion(void* record)
{
    EchoReply r;
    if (!replies_.pop(&r)) return false;
    __builtin_memcpy(record, &r, sizeof r);
    return true;
}

} // namespace offsched
