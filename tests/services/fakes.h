// Small hosted fakes of the model/ interfaces, so unit tests drive the real service code:
// a settable clock, NIC queues fed from byte vectors, a host path with per-cpu ring capacity.
#pragma once

#include <cstring>
#include <deque>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/service.h"

namespace offsched::test {

using Bytes = std::vector<uint8_t>;

class FakeClock final : public Clock {
public:
    explicit FakeClock(u32 khz = 1000, u64 start = 1000000) : now(start), freq_khz(khz) {}
    u64 cycles() const override { return now; }
    u32 khz() const override { return freq_khz; }
    u64 now;
    u32 freq_khz;
};

class FakeCore final : public Core {
public:
    u32 id() const override { return 3; }
    void relax() override { ++relaxed; }
    u32 relaxed = 0;
};

// Frames a test pushes, lent out in order and valid until the next lend (rx_burst or take), as
// the NicQueue and HostTx contracts say. `tag` of each frame: its RSS hash or its queue.
struct FrameLender {
    void push_tagged(const Bytes& f, u32 tag)
    {
        pending.push_back(f);
        tags.push_back(tag);
    }
    template <typename SetTag> u32 lend(Frame* out, u32 max, SetTag&& set_tag)
    {
        lent.clear();
        u32 n = 0;
        while (n < max && !pending.empty()) {
            lent.push_back(std::move(pending.front()));
            pending.pop_front();
            out[n] = Frame{};
            set_tag(out[n], tags.front());
            tags.pop_front();
            ++n;
        }
        for (u32 i = 0; i < n; ++i) {
            out[i].data = lent[i].data();
            out[i].len = static_cast<u16>(lent[i].size());
        }
        return n;
    }
    std::deque<Bytes> pending;
    std::deque<u32> tags;
    std::vector<Bytes> lent;
};

class FakeNicQueue final : public NicQueue, public FrameLender {
public:
    explicit FakeNicQueue(u8 last_mac_byte = 0xaa) { mac_[5] = last_mac_byte; }
    void push(const Bytes& f, u32 rss_hash = 0) { push_tagged(f, rss_hash); }
    u32 rx_burst(Frame* out, u32 max) override
    {
        ++rx_calls;
        for (bool d : decided) missing_verdicts += !d; // the last burst's frames nobody decided
        const u32 n = lend(out, max, [](Frame& f, u32 tag) { f.rss_hash = tag; });
        decided.assign(n, false);
        return n;
    }
    // The contract: one verdict per lent frame, before the next rx_burst; breaches are counted.
    void verdict(const Frame& f, Verdict v) override
    {
        for (size_t i = 0; i < lent.size(); ++i)
            if (lent[i].data() == f.data && !decided[i]) {
                decided[i] = true;
                ++verdicts[static_cast<u32>(v)];
                return;
            }
        ++bad_verdicts; // not a frame of the last burst, or one decided already
    }
    u64 verdict_count(Verdict v) const { return verdicts[static_cast<u32>(v)]; }
    // Frames lent so far that got no verdict (those of the last burst count once decided or not).
    u64 undecided() const
    {
        u64 n = missing_verdicts;
        for (bool d : decided) n += !d;
        return n;
    }
    u32 tx_burst(const Frame* frames, u32 n) override
    {
        u32 taken = 0;
        for (; taken < n && sent.size() < tx_capacity; ++taken)
            sent.emplace_back(frames[taken].data, frames[taken].data + frames[taken].len);
        return taken;
    }
    void mac(u8 out[6]) const override { std::memcpy(out, mac_, 6); }

    std::vector<Bytes> sent;
    size_t tx_capacity = 1u << 20;
    u32 rx_calls = 0;
    std::vector<bool> decided;
    u64 verdicts[static_cast<u32>(Verdict::Count)] = {};
    u64 missing_verdicts = 0, bad_verdicts = 0;
    u8 mac_[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0xaa};
};

class FakeHostPath final : public HostPath {
public:
    explicit FakeHostPath(u32 cpus = 4, size_t ring_capacity = 1u << 20)
        : rings(cpus), doorbells(cpus), capacity(ring_capacity) {}
    bool pass(const Frame& f, u32 cpu) override
    {
        if (cpu >= rings.size() || rings[cpu].size() >= capacity) return false;
        rings[cpu].emplace_back(f.data, f.data + f.len);
        return true;
    }
    void doorbell(u32 cpu) override { ++doorbells.at(cpu); }
    u32 os_cpus() const override { return static_cast<u32>(rings.size()); }
    u32 max_frame_len() const override { return max_len; }
    size_t total() const
    {
        size_t n = 0;
        for (auto& r : rings) n += r.size();
        return n;
    }
    std::vector<std::vector<Bytes>> rings;
    std::vector<u32> doorbells;
    size_t capacity;
    u32 max_len = 65535; // what pass() carries, as the sim's host path
};

// The host's transmitted frames (HostTx): pushed by the test, lent to the service until the next take().
class FakeHostTx final : public HostTx, public FrameLender {
public:
    void push(const Bytes& f, u16 queue = 0) { push_tagged(f, queue); }
    u32 take(Frame* out, u32 max) override
    {
        return lend(out, max, [](Frame& f, u32 tag) { f.queue = static_cast<u16>(tag); });
    }
};

// One environment wired from the fakes above.
struct FakeEnv {
    explicit FakeEnv(u32 nqueues = 1, u32 os_cpus = 4, u32 khz = 1000) : clock(khz), host(os_cpus), queues(nqueues)
    {
        for (auto& q : queues) ptrs.push_back(&q);
        env.clock = &clock;
        env.core = &core;
        env.queues = ptrs.data();
        env.queue_count = nqueues;
        env.host = &host;
    }
    // What a backend does with a service's declared needs: the host's frames and an arena.
    void provide(const ServiceNeeds& n)
    {
        if (n.host_tx) env.host_tx = &host_tx;
        arena.assign(n.arena_bytes / 8 + 8, 0);
        env.arena = n.arena_bytes ? arena.data() : nullptr;
        env.arena_bytes = n.arena_bytes;
    }
    FakeClock clock;
    FakeCore core;
    FakeHostPath host;
    FakeHostTx host_tx;
    std::deque<FakeNicQueue> queues;
    std::vector<NicQueue*> ptrs;
    std::vector<u64> arena;
    ServiceEnv env;
};

// Looks a counter up by its StatDesc name (so tests also check the names exist).
inline u64 stat(const Service& s, const char* name)
{
    for (u32 i = 0; i < s.stat_count(); ++i)
        if (std::strcmp(s.stat_desc(i).name, name) == 0) return s.stat_value(i);
    throw std::runtime_error(std::string("no stat named ") + name);
}

} // namespace offsched::test
