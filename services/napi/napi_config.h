// Offloaded NAPI configuration and its schema.
#pragma once

#include "model/schema.h"
#include "services/common/fields.h"
#include "model/service.h"

namespace offsched::napi {

struct Config {
    u32 max_batch_segments; // TCP segments merged into one frame at most (1 = no coalescing)
    u32 max_batch_bytes;    // merged frame length at most (HostPath must accept this size)
    bool rfs;               // steer by the OS-written flow table before falling back to the hash
    u32 hash_seed;
    u32 coalesce_ns;     // after a poll with frames but no full burst, the queues fill this long (0: off)
};

inline constexpr FieldDesc kConfigFields[] = {
    fields::u32_("max_batch_segments", OFFSCHED_FIELD(Config, max_batch_segments), 1, 64, "segments",
                 "consecutive TCP segments of one flow merged into one frame (1 disables coalescing)",
                 "44: a 64 KB GRO packet of 1448-byte segments, as Linux builds"),
    fields::u32_("max_batch_bytes", OFFSCHED_FIELD(Config, max_batch_bytes), 64, 65535, "bytes",
                 "largest merged frame (the host path's max_frame_len() caps it too)", "65535: Linux GRO's 64 KB limit"),
    fields::bool_("rfs", OFFSCHED_FIELD(Config, rfs),
                  "steer a flow to the cpu the OS recorded for it (RFS-like table), else by hash", "true"),
    fields::u32_("hash_seed", OFFSCHED_FIELD(Config, hash_seed), 0, 0xffffffffull, "",
                 "key of the flow hash (steering and RFS table index)", "fixed so simulations are deterministic"),
    fields::u32_("coalesce_ns", OFFSCHED_FIELD(Config, coalesce_ns), 0, 10000000, "ns",
                 "interrupt throttling done by the poller: after a poll that found frames but no full burst, the "
                 "queues are left to fill for this long, so GRO has segments to merge and each OS cpu gets one "
                 "doorbell per batch; 0: take frames as they come",
                 "20000: 50k batches/s per queue at most, the order of a NIC's interrupt throttling (ixgbe ITR "
                 "20k-100k/s)"),
};

inline constexpr Schema kConfigSchema = fields::schema(kConfigFields);

void set_defaults(Config& c);
bool check(const Config& c, ConfigError& err);

} // namespace offsched::napi
