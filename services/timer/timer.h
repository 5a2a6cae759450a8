// Timer service: 1 us resolution one-shot and periodic timers with no interrupts. Clients on
// online cpus push TimerRequests into requests() (lock-free MPSC ring); each step drains
// requests, then fires every timer whose deadline (absolute cycles) has passed, writing one
// TimerCompletion (id, deadline, fired cycles) per expiry into completions() (SPSC ring, one
// reader). Both rings live inside the service object, i.e. in the storage the backend gave it,
// so a backend exposes them to clients by handing out these two references.
// StepResult.work_units = requests handled + expiries fired; packets is always 0.
#pragma once

#include "model/service.h"
#include "services/common/service_base.h"
#include "services/common/log2_histogram.h"
#include "services/timer/timer_abi.h"
#include "services/timer/timer_channels.h"
#include "services/timer/timer_config.h"
#include "services/timer/timer_heap.h"
#include "services/timer/timer_stats.h"

namespace offsched {

class Timer final : public CountedService<timer::kStatCount, timer::kStatDescs>,
                     public ConfigSpec<timer::Config, timer::kConfigSchema, timer::set_defaults, timer::check,
                                       needs_no_nic<timer::Config>> {
public:
    static constexpr ChannelSpec kChannels = timer::channels();

    Timer(const ServiceEnv& env, const Config& cfg);

    const char* name() const override { return "timer"; }
    StepResult step(u32 budget) override;
    u64 stat_value(u32 i) const override; // histogram counters live in err_

    timer::RequestRing& requests() { return requests_; }
    timer::CompletionRing& completions() { return completions_; }
    bool post_request(const void* record) override;
    bool take_completion(void* record) override;

private:
    void handle(const timer::TimerRequest& r);
    void fire(u32 id, u64 now);

    ServiceEnv env_;
    Config cfg_;
    CycleConverter conv_;
    u64 min_period_cycles_;
    u64 late_cycles_;
    u64 period_[timer::TimerHeap::kCapacity];
    u64 seq_ = 0;
    timer::TimerHeap heap_;
    Log2Histogram<timer::kErrBuckets> err_;
    timer::RequestRing requests_;
    timer::CompletionRing completions_;
};

} // namespace offsched
