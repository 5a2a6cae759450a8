// Echo service: the smallest user of every channel with the online CPUs (model/channels.h), and
// a probe of them. Each step answers up to max_per_step requests, one reply each, stamped with
// the cycle it was answered, so the reader sees how long a request waited for the service core;
// and it reads the OS statistics page the host publishes, counting the samples it saw change.
// No NIC. Written to show that a new service needs nothing in backends/: both backends serve its
// channels because it declares them.
// StepResult.work_units = requests answered.
#pragma once

#include "model/service.h"
#include "services/common/fields.h"
#include "services/common/service_base.h"
#include "services/echo/echo_abi.h"

namespace offsched {

namespace echo {

struct Config {
    u32 max_per_step; // requests answered per step at most
};

inline constexpr FieldDesc kConfigFields[] = {
    fields::u32_("max_per_step", OFFSCHED_FIELD(Config, max_per_step), 1, 256, "requests",
                 "requests answered per step at most (the rest wait for the next step)", "32"),
};
inline constexpr Schema kConfigSchema = fields::schema(kConfigFields);

void set_defaults(Config& c);
bool check(const Config& c, ConfigError& err);

enum Stat : u32 { kRequests, kReplies, kRepliesDropped, kOsSamples, kOsCpus, kStatCount };

inline constexpr StatDesc kStatDescs[kStatCount] = {
    {"requests", "requests taken from the request ring"},
    {"replies", "replies written to the reply ring"},
    {"replies_dropped", "replies that found the ring full (the reader sees the gap in seq)"},
    {"os_samples", "OS statistics samples seen change in the page the host publishes"},
    {"os_cpus", "CPUs in the last OS statistics sample"},
};

} // namespace echo

class Echo final : public CountedService<echo::kStatCount, echo::kStatDescs>,
                   public ConfigSpec<echo::Config, echo::kConfigSchema, echo::set_defaults, echo::check,
                                     needs_no_nic<echo::Config>> {
public:
    static constexpr ChannelSpec kChannels = echo::channels();

    Echo(const ServiceEnv& env, const Config& cfg);

    const char* name() const override { return "echo"; }
    StepResult step(u32 budget) override;
    bool post_request(const void* record) override;
    bool take_completion(void* record) override;
    OsStatsPage* os_stats_page() override { return &page_; }

private:
    ServiceEnv env_;
    Config cfg_;
    u64 seq_ = 0;
    u32 page_seq_ = 0;
    echo::RequestRing requests_;
    echo::ReplyRing replies_;
    OsStatsPage page_;
    OsStats snap_;
};

} // namespace offsched
