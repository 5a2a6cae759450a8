// Offloaded NAPI configuration and its schema.
#pragma once

#include "model/schema.h"
#include "model/service.h"

namespace offsched::napi {

struct Config {
    u32 max_batch_segments; // TCP segments merged into one frame at most (1 = no coalescing)
    u32 max_batch_bytes;    // merged frame length at most (HostPath must accept this size)
    bool rfs;               // steer by the OS-written flow table before falling back to the hash
    u32 hash_seed;
};

#define OFFSCHED_NAPI_FIELD(f) static_cast<u32>(__builtin_offsetof(Config, f))
inline constexpr FieldDesc kConfigFields[] = {
    {"max_batch_segments", FieldType::U32, OFFSCHED_NAPI_FIELD(max_batch_segments), 1, 64, "segments",
     "consecutive TCP segments of one flow merged into one frame (1 disables coalescing)",
     "44: a 64 KB GRO packet of 1448-byte segments, as Linux builds", nullptr, nullptr, 0, 0, 0},
    {"max_batch_bytes", FieldType::U32, OFFSCHED_NAPI_FIELD(max_batch_bytes), 64, 65535, "bytes",
     "largest merged frame; the HostPath ring slots must hold it", "65535: Linux GRO's 64 KB limit", nullptr,
     nullptr, 0, 0, 0},
    {"rfs", FieldType::Bool, OFFSCHED_NAPI_FIELD(rfs), 0, 0, "",
     "steer a flow to the cpu the OS recorded for it (RFS-like table), else by hash", "true", nullptr, nullptr, 0, 0, 0},
    {"hash_seed", FieldType::U32, OFFSCHED_NAPI_FIELD(hash_seed), 0, 0xffffffffull, "",
     "key of the flow hash (steering and RFS table index)", "fixed so simulations are deterministic", nullptr,
     nullptr, 0, 0, 0},
};
#undef OFFSCHED_NAPI_FIELD

inline constexpr Schema kConfigSchema{kConfigFields, static_cast<u32>(array_size(kConfigFields))};

void set_defaults(Config& c);
bool check(const Config& c, ConfigError& err);

} // namespace offsched::napi
