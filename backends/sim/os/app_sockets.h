// The application that consumes received datagrams (os.app_packet_cycles > 0): one socket per
// OS core that runs the user task, a bounded receive queue in front of it, and the count of
// datagrams the application finished. Its output rate is the "output rate" of the receive
// livelock papers: work the kernel did that nobody consumed ends as a socket-queue drop.
#pragma once

#include <cstdint>
#include <vector>

#include "backends/sim/run/params.h"
#include "backends/sim/run/result.h"

namespace offsched::sim {

// The task that reads a socket: told when its queue goes from empty to non-empty.
class AppReader {
public:
    virtual void app_ready() = 0;

protected:
    ~AppReader() = default;
};

class AppSockets {
public:
    void configure(const SimParams& p)
    {
        cycles_ = p.os.app_packet_cycles;
        limit_ = p.os.app_queue;
        warmup_ns_ = p.run.warmup_ns;
    }
    bool enabled() const { return cycles_ != 0; }
    uint32_t packet_cycles() const { return cycles_; }

    void attach(uint32_t core, AppReader* reader)
    {
        if (readers_.size() <= core) {
            readers_.resize(core + 1, nullptr);
            queued_.resize(core + 1, 0);
        }
        readers_[core] = reader;
        if (first_ < 0) first_ = static_cast<int>(core);
    }

    // n datagrams finished protocol processing on `core`: queued to that core's reader (or the
    // first reader when the core runs none); beyond os.app_queue they are dropped.
    void deliver(uint32_t core, uint64_t n)
    {
        if (!enabled() || first_ < 0) return;
        const uint32_t s = core < readers_.size() && readers_[core] ? core : static_cast<uint32_t>(first_);
        const uint64_t room = limit_ > queued_[s] ? limit_ - queued_[s] : 0;
        const uint64_t in = n < room ? n : room;
        drops_ += n - in;
        delivered_ += in;
        const bool was_empty = queued_[s] == 0;
        queued_[s] += in;
        if (was_empty && in) readers_[s]->app_ready();
    }

    // The reader on `core` takes up to max queued datagrams to work on.
    uint32_t take(uint32_t core, uint32_t max)
    {
        if (core >= queued_.size()) return 0;
        const uint64_t k = queued_[core] < max ? queued_[core] : max;
        queued_[core] -= k;
        return static_cast<uint32_t>(k);
    }

    // The application finished n datagrams at t_ns (counted once the warmup is over).
    void consumed(uint32_t n, uint64_t t_ns)
    {
        if (t_ns >= warmup_ns_) consumed_ += n;
    }

    void fill(DesignResult& r) const
    {
        r.app_consumed = consumed_;
        r.app_socket_drops = drops_;
        const uint64_t window = r.sim_ns > warmup_ns_ ? r.sim_ns - warmup_ns_ : 0;
        r.app_output_pps = window ? consumed_ * 1000000000ull / window : 0;
    }

private:
    uint32_t cycles_ = 0, limit_ = 0;
    uint64_t warmup_ns_ = 0;
    std::vector<AppReader*> readers_;
    std::vector<uint64_t> queued_;
    int first_ = -1;
    uint64_t delivered_ = 0, drops_ = 0, consumed_ = 0;
};

} // namespace offsched::sim
