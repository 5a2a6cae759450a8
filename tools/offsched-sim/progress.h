// Progress for long runs and sweeps, on stderr, only when stderr is a terminal (quiet in pipes,
// CI and under --quiet), rewritten in place with \r as cyclictest does.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace offsched::tools {

class Progress {
public:
    Progress(size_t total, bool enabled);
    ~Progress();
    void step(const std::string& what); // call before running item i (in order)

private:
    size_t total_;
    size_t done_ = 0;
    bool enabled_;
    std::chrono::steady_clock::time_point start_;
};

} // namespace offsched::tools
