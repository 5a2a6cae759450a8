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
    std::string service, state, nic, netdev;
    Counters stats;   // the service's own counters, in its StatDesc order
    Counters backend; // loop, NIC and host-path counters, sorted by name
};

struct ModuleStatus {
    std::vector<std::string> services; // lines of /sys/kernel/offsched/services
    std::vector<std::string> nics;     // lines of /sys/kernel/offsched/nics
    std::vector<CpuStatus> cpus;       // attached CPUs, ascending
};

ModuleStatus read_status(const std::string& root);

} // namespace offsched::ctl
