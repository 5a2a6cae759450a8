// The contract between a backend and a service. The backend owns the loop:
//     while (running) { StepResult r = svc.step(budget); if (r.idle()) core.relax(); }
// On the kernel backend that loop spins on a dead CPU; in the sim each step's report is
// charged in cycles (per step, per packet, per work unit) so simulated time advances.
#pragma once

#include "model/channels.h"
#include "model/clock.h"
#include "model/core.h"
#include "model/host_path.h"
#include "model/host_tx.h"
#include "model/nic.h"
#include "model/os_stats.h"
#include "model/stats.h"

namespace offsched {

struct StepResult {
    u32 packets = 0;    // frames taken from NIC queues this step
    u32 work_units = 0; // service-defined other work (timers fired, jobs run, records sent)
    bool idle() const { return packets == 0 && work_units == 0; }
};

// A config as backends hold it (the config blob): the service's POD struct, then, at
// config_data_offset, the data image its PrefixSet fields name (model/prefix_set.h), if any. A
// backend checks the whole blob (schema_check_data) and hands the service both parts.
struct ConfigData {
    const void* image = nullptr; // 8-byte aligned; null when the config names no data
    u64 bytes = 0;
};
constexpr u64 config_data_offset(u64 config_size) { return (config_size + 7) & ~u64{7}; }
// The data part of a blob of `blob_bytes` whose config is `config_size` bytes.
inline ConfigData config_data(const void* blob, u64 config_size, u64 blob_bytes)
{
    const u64 at = config_data_offset(config_size);
    if (blob_bytes <= at) return {};
    return {static_cast<const u8*>(blob) + at, blob_bytes - at};
}

// What a backend hands a service: everything it may touch. No pointer here may refer to memory
// that can go away while the service runs.
struct ServiceEnv {
    Clock* clock = nullptr;
    Core* core = nullptr;
    NicQueue** queues = nullptr; // queues this service owns
    u32 queue_count = 0;
    HostPath* host = nullptr;    // may be null for services that never pass frames up
    HostTx* host_tx = nullptr;   // the host's transmitted frames; set only when ServiceNeeds::host_tx
    // Memory the backend allocated once, before the service starts, of ServiceNeeds::arena_bytes
    // (zeroed, 64-byte aligned, stable for the service's life): tables sized by the config.
    void* arena = nullptr;
    u64 arena_bytes = 0;
    ConfigData data; // the config's data image, checked, stable until the service takes a reload
};

// What a service needs from its backend beyond NIC queues and a clock, derived from its config.
// Backends provide exactly this and know nothing else about the service.
struct ServiceNeeds {
    // A NIC queue and the host path. A service that only computes (a timer, an executive) says
    // false, and a backend attaches it on a machine with no NIC it can own.
    bool nic = true;
    bool host_tx = false;  // route the host's transmitted frames through the service (HostTx)
    u64 arena_bytes = 0;   // one zeroed block of memory, allocated at attach
};

// A short, static explanation of why a config was rejected: which field and what was expected.
struct ConfigError {
    // Dotted path; a list item is written "rules[].action" and `index` says which item, so
    // field stays a static string (no formatting in freestanding code).
    const char* field = nullptr;
    const char* message = nullptr; // static text
    u32 index = 0;
    bool ok() const { return field == nullptr; }
};

class Service {
public:
    virtual const char* name() const = 0;
    // One poll step: does at most `budget` packets of work and reports what it did.
    virtual StepResult step(u32 budget) = 0;
    virtual u32 stat_count() const = 0;
    virtual const StatDesc& stat_desc(u32 i) const = 0;
    virtual u64 stat_value(u32 i) const = 0;
    // A new config while the service runs (hitless reload). The backend calls it on the service
    // core between two steps, only for a kind with a reload_check (services/registry.h) and a
    // config that passed validate() and reload_check() against the running one. Counters, tables
    // and connections stay; what the config decides changes from the next step on. `data` is the
    // new blob's data image; the old one stays valid until this returns.
    virtual void reload(const void* config, const ConfigData& data)
    {
        (void)config;
        (void)data;
    }
    // The channels its kind declares (model/channels.h; none by default). The backend calls
    // these on online CPUs while the service runs: post_request from any of them at once (the
    // record is ChannelSpec::request_bytes long; false: the ring is full), take_completion from
    // its one reader (false: none waiting).
    virtual bool post_request(const void* record)
    {
        (void)record;
        return false;
    }
    virtual bool take_completion(void* record)
    {
        (void)record;
        return false;
    }
    // The page the host publishes OS statistics into (ChannelSpec::os_stats), in the service's
    // stable storage.
    virtual OsStatsPage* os_stats_page() { return nullptr; }

protected:
    ~Service() = default; // services live in static or backend-owned storage, never deleted
};

} // namespace offsched
