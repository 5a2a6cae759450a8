// What the module reports under /sys/kernel/offsched/: owned NICs and, per attached CPU, the
// service, its state and every counter (service counters and backend counters).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace offsched::ctl {

using Counters = std::vector<std::pair<std::string, uint64_t>>;

struct CpuStatus {
    uint32_t cpu = 0;
    std::string service, state, nic, netdev, queue; // queue: the NIC's queue pair, "-" without

    Counters stats;   // the service's own counters, in its StatDesc order
    Counters backend; // loop, NIC and host-path counters, sorted by name
    // "0000:00:05.0 queue 1 via osd0", or "no NIC" for a service that owns none (sysfs shows "-").
    std::string nic_summary() const
    {
        if (nic == "-") return "no NIC";
        return nic + (queue.empty() ? "" : " queue " + queue) + " via " + netdev; // "": older module

    }
};

struct ModuleStatus {
    std::vector<std::string> services; // lines of /sys/kernel/offsched/services
    std::vector<std::string> nics;     // lines of /sys/kernel/offsched/nics
    std::vector<CpuStatus> cpus;       // attached CPUs, ascending
};

ModuleStatus read_status(const std::string& root);

} // namespace offsched::ctl
