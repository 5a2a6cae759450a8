// Every service the product ships, by name. Backends create services only through this table,
// so the sim, offschedctl and the kernel module agree on names, config layouts and validation.
// No heap: the backend provides storage of at least object_size bytes aligned to object_align.
#pragma once

#include "model/schema.h"
#include "model/service.h"

namespace offsched {

struct ServiceKind {
    const char* name;
    const char* summary;
    u32 config_size;  // sizeof the service's POD config struct (the binary form offschedctl sends)
    u32 object_size;  // storage the backend must provide
    u32 object_align;
    Schema schema;    // the config's fields, for loading, range checks and docs
    // Fills the config with documented defaults.
    void (*defaults)(void* config);
    // Checks a config; on failure fills err with the field and reason.
    bool (*validate)(const void* config, ConfigError* err);
    // What the backend must provide for this config (channels, memory). Config must be valid.
    ServiceNeeds (*needs)(const void* config);
    // Whether the running service may take `next` in place of `running` (Service::reload), both
    // valid; on refusal err names the field that cannot change while attached. A service that
    // never reloads refuses every config (no_reload in services/common/service_base.h).
    bool (*reload_check)(const void* running, const void* next, ConfigError* err);
    // Its channels with the online CPUs (model/channels.h): what the backend sets up for it.
    ChannelSpec channels;
    // Placement-constructs the service in storage. Config must have passed validate(); env
    // carries what needs() asked for.
    Service* (*create)(void* storage, const ServiceEnv& env, const void* config);
};

// Null when no service has that name.
const ServiceKind* find_service(const char* name);
u32 service_kind_count();
const ServiceKind& service_kind(u32 i);

// Helper for the table in registry.cc: generates the function pointers from a service class
// S with a nested S::Config, a static S::kSchema, S::defaults(Config&), S::validate(const Config&, ConfigError&),
// S::needs(const Config&), S::kReloadCheck, S::kChannels and a constructor S(const ServiceEnv&, const Config&). constexpr so the table in registry.cc is
// constant-initialised: the kernel never runs global constructors.
template <typename S> constexpr ServiceKind make_service_kind(const char* name, const char* summary)
{
    ServiceKind k{};
    k.name = name;
    k.summary = summary;
    k.config_size = sizeof(typename S::Config);
    k.object_size = sizeof(S);
    k.object_align = alignof(S);
    k.schema = S::kSchema;
    k.defaults = [](void* c) { S::defaults(*static_cast<typename S::Config*>(c)); };
    k.validate = [](const void* c, ConfigError* e) {
        return S::validate(*static_cast<const typename S::Config*>(c), *e);
    };
    k.needs = [](const void* c) { return S::needs(*static_cast<const typename S::Config*>(c)); };
    k.reload_check = [](const void* running, const void* next, ConfigError* e) {
        return S::kReloadCheck(*static_cast<const typename S::Config*>(running),
                               *static_cast<const typename S::Config*>(next), *e);
    };
    k.channels = S::kChannels;
    static_assert(S::kChannels.request_bytes <= kMaxChannelRecord && S::kChannels.completion_bytes <= kMaxChannelRecord,
                  "a channel record a backend cannot copy");
    k.create = [](void* storage, const ServiceEnv& env, const void* c) -> Service* {
        return new (storage) S(env, *static_cast<const typename S::Config*>(c));
    };
    return k;
}

} // namespace offsched

// Placement new without <new>: the kernel build has no libstdc++ beyond freestanding headers.
#ifndef OFFSCHED_PLACEMENT_NEW_DEFINED
#define OFFSCHED_PLACEMENT_NEW_DEFINED
#if __has_include(<new>)
#include <new>
#else
inline void* operator new(size_t, void* p) noexcept { return p; }
#endif
#endif
