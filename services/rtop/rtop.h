// "Remote top": every interval, takes a consistent snapshot of the per-cpu statistics the OS
// publishes in shared() (seqlock, read-only here) and streams it as UDP datagrams in the rtop
// wire format (rtop_wire.h) through one of its NIC queues. It needs no OS cpu to do so, so the
// numbers keep flowing when the OS itself is saturated. Frames received on its queues are dropped.
// StepResult.packets = frames received (discarded); work_units = datagrams built.
#pragma once

#include "model/service.h"
#include "services/common/service_base.h"
#include "model/os_stats.h"
#include "services/rtop/rtop_config.h"
#include "services/rtop/rtop_stats.h"
#include "services/rtop/rtop_wire.h"

namespace offsched {

class Rtop final : public CountedService<rtop::kStatCount, rtop::kStatDescs>,
                     public ConfigSpec<rtop::Config, rtop::kConfigSchema, rtop::set_defaults, rtop::check> {
public:
    static constexpr ChannelSpec kChannels = [] {
        ChannelSpec c;
        c.os_stats = true; // what it streams: the host publishes, the service only reads
        c.streams_to = rtop::streams_to;
        return c;
    }();

    Rtop(const ServiceEnv& env, const Config& cfg);

    // Where the OS side publishes (os_stats_publish); lives in the service's stable storage.
    OsStatsPage* os_stats_page() override { return &shared_; }

    const char* name() const override { return "rtop"; }
    StepResult step(u32 budget) override;

private:
    static constexpr u32 kMaxDatagrams = (kOsStatsMaxCpus + rtop::kMaxRecordsPerDatagram - 1) / rtop::kMaxRecordsPerDatagram;
    static constexpr u32 kFrameCap = 14 + 20 + 8 + rtop::kMaxDatagramLen;

    u32 sample_and_send(u64 now);
    u32 discard_rx(u32 budget);

    ServiceEnv env_;
    Config cfg_;
    CycleConverter conv_;
    u8 dst_mac_[6];
    u32 queue_;
    u64 interval_cycles_;
    u64 next_;
    u32 seq_ = 0;
    u32 sample_ = 0;
    u16 ip_id_ = 0;
    OsStatsPage shared_;
    OsStats snap_;
    rtop::Record records_[rtop::kMaxRecordsPerDatagram];
    u8 payload_[rtop::kMaxDatagramLen];
    u8 frames_[kMaxDatagrams][kFrameCap];
    Frame tx_[kMaxDatagrams];
    static constexpr u32 kRxBurst = 32;
    u32 rr_ = 0;
    Frame rx_[kRxBurst];
};

} // namespace offsched
