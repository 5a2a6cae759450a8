#include "services/timer/timer.h"

namespace offsched {

using namespace timer;

Timer::Timer(const ServiceEnv& env, const Config& cfg) : env_(env), cfg_(cfg)
{
    conv_.init(env.clock->khz());
    min_period_cycles_ = conv_.from_ns(cfg.min_period_ns);
    late_cycles_ = conv_.from_ns(cfg.late_threshold_ns);
    heap_.init();
    requests_.init();
    completions_.init();
}

u64 Timer::stat_value(u32 i) const
{
    if (i == kFireErrMaxNs) return err_.max.read();
    if (i >= kFireErrFirst) return err_.buckets[i - kFireErrFirst].read();
    return stats_[i].read();
}

StepResult Timer::step(u32 budget)
{
    StepResult r;
    TimerRequest req;
    while (r.work_units < budget && requests_.pop(&req)) {
        handle(req);
        ++r.work_units;
    }
    const u64 now = env_.clock->cycles();
    u32 fired = 0;
    while (r.work_units < budget && fired < cfg_.max_fires_per_step && !heap_.empty() &&
           heap_.deadline(heap_.top()) <= now) {
        fire(heap_.top(), now);
        ++fired;
        ++r.work_units;
    }
    return r;
}

void Timer::handle(const TimerRequest& r)
{
    stats_[kRequests].add();
    if (r.id >= cfg_.timer_count) return stats_[kRejected].add();
    if (r.op == kCancel) {
        if (heap_.armed(r.id)) stats_[kCancelled].add();
        return heap_.remove(r.id);
    }
    if (r.op != kArm || (r.period != 0 && r.period < min_period_cycles_)) return stats_[kRejected].add();
    period_[r.id] = r.period;
    heap_.set(r.id, r.deadline);
    stats_[kArmed].add();
}

void Timer::fire(u32 id, u64 now)
{
    const u64 deadline = heap_.deadline(id);
    const u64 late = now - deadline;
    u32 skipped = 0;
    if (period_[id]) {
        // Next expiry strictly after now; periods already past are reported, not fired in a burst.
        const u64 n = late / period_[id];
        skipped = n > 0xffffffffull ? 0xffffffffu : static_cast<u32>(n);
        heap_.set(id, deadline + (n + 1) * period_[id]);
        stats_[kPeriodsSkipped].add(n);
    } else {
        heap_.remove(id);
    }
    stats_[kFired].add();
    if (late > late_cycles_) stats_[kLate].add();
    err_.record(conv_.to_ns(late));
    const TimerCompletion c{id, skipped, deadline, now, ++seq_};
    if (!completions_.push(c)) stats_[kCompletionsDropped].add();
}

// The channels (timer_channels.h): records copied as bytes, so a backend needs no timer types.
bool Timer::post_request(const void* record)
{
    timer::TimerRequest r;
    __builtin_memcpy(&r, record, sizeof r);
    return requests_.push(r);
}

bool Timer::take_completion(void* record)
{
    timer::TimerCompletion c;
    if (!completions_.pop(&c)) return false;
    __builtin_memcpy(record, &c, sizeof c);
    return true;
}

} // namespace offsched
