// Progress for long runs and sweeps, on stderr, only when stderr is a terminal (quiet in pipes,
// CI and under --quiet), rewritten in place with \r as cyclictest does.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>

namespace offsched::tools {

class Progress {
public:
    Progress(size_t total, bool enabled);
    ~Progress();
    void step(const std::string& what); // call before running item i (in order)
    // After step(): the item simulates `designs` designs for duration_ns each, in forked
    // children; until the next step() the line also shows the simulated time they reached and an
    // ETA from it, redrawn four times a second.
    void simulating(uint64_t duration_ns, size_t designs);

private:
    void stop_watch();
    void draw_simulated();
    uint64_t sim_ns_ = 0;
    size_t sim_designs_ = 0;
    void draw(const std::string& extra, double item_fraction);
    std::string what_;
    std::atomic<bool> watching_{false};
    std::thread watcher_;

    size_t total_;
    size_t done_ = 0;
    bool enabled_;
    std::chrono::steady_clock::time_point start_;
};

// Progress of a sweep's simulations, which finish in any order on several cores and ranks:
// "[done/total] running R  (wall W s, eta E s)", the ETA from this run's rate so far.
class JobProgress {
public:
    JobProgress(size_t total, size_t already_done, bool enabled);
    ~JobProgress();
    void update(size_t done, size_t running, const std::string& last);

private:
    size_t total_, at_start_;
    bool enabled_;
    std::chrono::steady_clock::time_point start_;
};

} // namespace offsched::tools
