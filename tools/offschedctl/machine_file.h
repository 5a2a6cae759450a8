// The machine's offsched state as the admin writes it: which CPUs run which service with which
// config and NIC (/etc/offsched/offsched.yaml, or a directory of *.yaml files read in name order):
//
//   cpus:
//     - cpu: [2, 3]               # one CPU or a list: the same config (one random secret) on each
//       service: firewall
//       config: fw.yaml           # a file (relative to this file's directory) or an inline map
//       nic: 0000:00:05.0         # optional: the first free one otherwise
//     - cpu: 4
//       service: timer
//
// Loading checks everything `offschedctl attach` would (service, config, CPU 0, a CPU named
// twice in any file) and throws InputError with file:line:column; nothing is applied.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "services/registry.h"
#include "lib/input/input_error.h"

namespace offsched::ctl {

struct WantedCpu {
    uint32_t cpu = 0;
    const ServiceKind* kind = nullptr;
    std::vector<uint8_t> config;    // as loaded: fields the file leaves unset at their defaults
    std::vector<uint8_t> deployed;  // what is sent: unset random fields drawn (one draw per entry)
    std::string nic;                // "" = first free
    tools::InputLocation where;     // the entry, for messages
};

constexpr const char* kDefaultMachineFile = "/etc/offsched/offsched.yaml";

// Every CPU the file (or every *.yaml of the directory) asks for, ascending.
std::vector<WantedCpu> load_machine_file(const std::string& path);

} // namespace offsched::ctl
