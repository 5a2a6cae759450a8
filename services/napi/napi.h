// Offloaded NAPI: does the receive work the OS's NAPI poll would do, on a core the OS no longer
// owns. Each step polls the owned NIC queues round robin, validates every frame (malformed ones
// are dropped), coalesces consecutive TCP segments of a flow into one frame like GRO (gro.h),
// and hands each frame or batch to the OS cpu that owns the flow: the cpu the OS recorded in
// rfs_table() for that flow (RFS-like), else one chosen by flow hash. Batching is paced like a
// NIC's interrupt throttling (Config::coalesce_ns): after a poll that found frames but no full
// burst, the queues are left to fill for that long. At most one doorbell per OS cpu per step; the HostPath only turns it into
// an IPI if that cpu armed its ring (services/ring/doorbell_arm.h). The HostPath must accept
// frames up to Config::max_batch_bytes.
// StepResult.packets = frames taken; work_units = merged batches built.
#pragma once

#include "model/service.h"
#include "services/common/doorbells.h"
#include "services/common/service_base.h"
#include "services/napi/gro.h"
#include "services/napi/napi_config.h"
#include "services/napi/napi_stats.h"

namespace offsched {

class Napi final : public CountedService<napi::kStatCount, napi::kStatDescs>,
                   public ConfigSpec<napi::Config, napi::kConfigSchema, napi::set_defaults, napi::check>,
                   private napi::Gro::Emit {
public:

    static constexpr u32 kBurst = 64;
    static constexpr u32 kRfsEntries = 4096;
    static constexpr u16 kRfsUnset = 0xffff;

    Napi(const ServiceEnv& env, const Config& cfg);

    // RFS table, written by the OS side (store_relaxed of a cpu number, or kRfsUnset) at
    // rfs_slot(flow) when the consuming thread runs on that cpu; read-only for the service.
    u16* rfs_table() { return rfs_; }
    u32 rfs_slot(const net::FlowKey& k) const { return net::flow_hash(k, cfg_.hash_seed) & (kRfsEntries - 1); }

    const char* name() const override { return "napi"; }
    StepResult step(u32 budget) override;

private:
    Verdict handle(const Frame& f);
    void emit(const Frame& f, const net::FlowKey& k, u32 segments, bool limit_closed) override;
    void pass(const Frame& f, u32 cpu);
    u32 cpu_for(const net::FlowKey& k);

    ServiceEnv env_;
    Config cfg_;
    u32 os_cpus_;
    u32 rr_ = 0;
    u32 batches_step_ = 0;
    u64 gap_cycles_ = 0;
    u64 next_poll_ = 0; // cycles: the queues are not polled before (coalesce_ns)
    DoorbellSet doorbells_;
    Frame rx_[kBurst];
    u16 rfs_[kRfsEntries];
    napi::Gro gro_;
};

} // namespace offsched
