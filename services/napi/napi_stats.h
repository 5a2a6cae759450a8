// Offloaded NAPI counters.
#pragma once

#include "model/stats.h"

namespace offsched::napi {

enum Stat : u32 {
    kRx,
    kPassed,
    kBatches,
    kCoalesced,
    kSteeredRfs,
    kSteeredHash,
    kDroppedMalformed,
    kNonIp,
    kHostRingFull,
    kDoorbells,
    kFlushLimit,
    kFlushEvict,
    kStatCount
};

inline constexpr StatDesc kStatDescs[kStatCount] = {
    {"frames", "frames taken from the NIC queues"},
    {"passed", "frames handed to the OS (a merged batch counts once)"},
    {"batches", "merged frames built from 2 or more TCP segments"},
    {"coalesced", "TCP segments that went into merged frames"},
    {"steered_rfs", "frames/batches steered by the OS-written RFS table"},
    {"steered_hash", "frames/batches steered by flow hash (no RFS entry)"},
    {"dropped_malformed", "frames that failed parsing"},
    {"non_ip", "non-IPv4 frames passed as they are"},
    {"host_ring_full", "frames/batches dropped because the OS cpu's ring was full"},
    {"doorbells", "doorbells rung (at most one per OS cpu per step)"},
    {"flush_limit", "batches closed by max_batch_segments/max_batch_bytes or PSH"},
    {"flush_evict", "batches closed early because all batch slots were in use"},
};

} // namespace offsched::napi
