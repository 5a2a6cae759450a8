// Builds rtop datagrams for the collector and tool tests with the service's own encoder.
#pragma once

#include <cstdint>
#include <vector>

#include "services/rtop/rtop_wire.h"

namespace offsched::test {

struct CpuTimes {
    uint64_t busy, idle, irq, softirq;
    uint32_t nr_running = 0;
};

// One datagram of `cpus` (all of them when they fit): records first..first+n-1.
inline std::vector<uint8_t> rtop_datagram(uint32_t seq, uint32_t sample, uint64_t ts_ns, const std::vector<CpuTimes>& cpus,
                                          uint32_t first = 0, uint32_t n = ~0u)
{
    if (n > cpus.size() - first) n = static_cast<uint32_t>(cpus.size() - first);
    rtop::Header h{};
    h.seq = seq;
    h.sample = sample;
    h.timestamp_ns = ts_ns;
    h.mem_total_kb = 16000000;
    h.mem_available_kb = 12000000;
    h.first_cpu = static_cast<uint16_t>(first);
    h.record_count = static_cast<uint16_t>(n);
    h.total_cpus = static_cast<uint16_t>(cpus.size());
    std::vector<rtop::Record> recs;
    for (uint32_t i = first; i < first + n; ++i)
        recs.push_back({static_cast<u16>(i), cpus[i].nr_running, cpus[i].busy, cpus[i].idle, cpus[i].irq, cpus[i].softirq});
    std::vector<uint8_t> out(rtop::kMaxDatagramLen);
    out.resize(rtop::encode(h, recs.data(), n, out.data(), static_cast<u32>(out.size())));
    return out;
}

} // namespace offsched::test
