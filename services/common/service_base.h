// The parts every service class repeats, written once:
//  - ConfigSpec: the static config plumbing make_service_kind expects (S::Config, S::kSchema,
//    S::defaults, S::validate, S::needs), from a config struct, its schema and free functions
//    (a service that needs nothing beyond queues and a clock leaves Needs out; one that needs
//    no NIC at all passes needs_no_nic; one that can take a new config while running passes
//    its reload check last);
//  - CountedService: counter storage and Service's three stat methods, from a StatDesc table.
#pragma once

#include "model/schema.h"
#include "model/service.h"

namespace offsched {

template <typename Cfg> ServiceNeeds needs_nothing(const Cfg&) { return ServiceNeeds{}; }
// For services that never touch a frame: a core and a clock, no NIC.
template <typename Cfg> ServiceNeeds needs_no_nic(const Cfg&)
{
    ServiceNeeds n;
    n.nic = false;
    return n;
}

// The reload check of a service that cannot take a new config while running.
template <typename Cfg> bool no_reload(const Cfg&, const Cfg&, ConfigError& err)
{
    err.field = "service";
    err.message = "this service cannot change its config while attached: detach and attach";
    return false;
}

template <typename Cfg, const Schema& Sch, void (*Defaults)(Cfg&), bool (*Check)(const Cfg&, ConfigError&),
          ServiceNeeds (*Needs)(const Cfg&) = needs_nothing<Cfg>,
          bool (*ReloadCheck)(const Cfg& running, const Cfg& next, ConfigError&) = no_reload<Cfg>>
struct ConfigSpec {
    using Config = Cfg;
    static constexpr Schema kSchema = Sch;
    static constexpr bool (*kReloadCheck)(const Cfg&, const Cfg&, ConfigError&) = ReloadCheck;
    static void defaults(Config& c) { Defaults(c); }
    static bool validate(const Config& c, ConfigError& err) { return Check(c, err); }
    static ServiceNeeds needs(const Config& c) { return Needs(c); }
    // No channel with the online CPUs beyond frames; a service that has some hides this.
    static constexpr ChannelSpec kChannels{};
};

template <u32 N, const StatDesc (&Descs)[N]> class CountedService : public Service {
public:
    u32 stat_count() const override { return N; }
    const StatDesc& stat_desc(u32 i) const override { return Descs[i]; }
    u64 stat_value(u32 i) const override { return stats_[i].read(); }

protected:
    ~CountedService() = default;
    void count(u32 stat, u64 n = 1) { stats_[stat].add(n); }
    Counter stats_[N];
};

} // namespace offsched
