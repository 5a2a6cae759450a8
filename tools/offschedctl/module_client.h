// The three commands offschedctl sends to the module (ioctls on /dev/offsched). Errors come back
// as the module's own sentence (it knows which CPU/NIC/field was wrong) plus errno.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace offsched::ctl {

struct CommandResult {
    bool ok = false;
    std::string error; // empty when ok
};

CommandResult attach(uint32_t cpu, const std::string& service, const std::string& nic,
                     const std::vector<uint8_t>& config);
CommandResult detach(uint32_t cpu);
CommandResult reload(uint32_t cpu, const std::string& service, const std::vector<uint8_t>& config);

// Empty when the module is loaded, else what to do about it.
std::string module_missing_reason();

} // namespace offsched::ctl
