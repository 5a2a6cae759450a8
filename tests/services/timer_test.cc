// Timer service through its rings with a fake 1 GHz clock (1 cycle = 1 ns): exact firing,
// periodic catch-up, cancel/reject, histogram buckets, full completion ring, concurrent clients.
#include <catch2/catch.hpp>

#include <memory>
#include <thread>
#include <vector>

#include "config_helpers.h"
#include "fakes.h"
#include "services/timer/timer.h"

using namespace offsched;
using namespace offsched::test;
using namespace offsched::timer;

namespace {
struct TimerFixture {
    TimerFixture() : e(0, 1, 1000000)
    {
        Timer::defaults(cfg);
        ConfigError err;
        REQUIRE(Timer::validate(cfg, err));
        t = std::make_unique<Timer>(e.env, cfg);
    }
    void arm(u32 id, u64 deadline, u64 period = 0) { REQUIRE(t->requests().push(TimerRequest{kArm, id, deadline, period})); }
    std::vector<TimerCompletion> drain()
    {
        std::vector<TimerCompletion> out;
        TimerCompletion c;
        while (t->completions().pop(&c)) out.push_back(c);
        return out;
    }
    FakeEnv e;
    Timer::Config cfg;
    std::unique_ptr<Timer> t;
};
} // namespace

TEST_CASE_METHOD(TimerFixture, "one-shot timer fires on its deadline cycle, not before")
{
    const u64 dl = e.clock.now + 5000;
    arm(3, dl);
    e.clock.now = dl - 1;
    CHECK(t->step(16).work_units == 1); // the request only
    CHECK(drain().empty());
    e.clock.now = dl;
    CHECK(t->step(16).work_units == 1);
    auto c = drain();
    REQUIRE(c.size() == 1);
    CHECK(c[0].id == 3);
    CHECK(c[0].deadline == dl);
    CHECK(c[0].fired == dl);
    CHECK(c[0].seq == 1);
    CHECK(stat(*t, "fire_err_0ns") == 1);
    e.clock.now += 100000;
    CHECK(t->step(16).idle()); // one-shot: gone
}

TEST_CASE_METHOD(TimerFixture, "periodic timer keeps its phase and reports skipped periods")
{
    const u64 start = e.clock.now + 1000;
    arm(0, start, 10000); // every 10 us
    for (int k = 0; k < 3; ++k) {
        e.clock.now = start + k * 10000 + 7; // 7 ns late each time
        t->step(16);
    }
    auto c = drain();
    REQUIRE(c.size() == 3);
    for (int k = 0; k < 3; ++k) {
        CHECK(c[k].deadline == start + k * 10000);
        CHECK(c[k].fired - c[k].deadline == 7);
    }
    CHECK(stat(*t, "fire_err_4ns") == 3);
    e.clock.now = start + 2 * 10000 + 35000; // 3.5 periods after the last expiry: 30 us fires 25 us late
    t->step(16);
    c = drain();
    REQUIRE(c.size() == 1);
    CHECK(c[0].deadline == start + 3 * 10000);
    CHECK(c[0].skipped == 2); // 40 us and 50 us are past too
    CHECK(stat(*t, "periods_skipped") == 2);
    CHECK(stat(*t, "late") == 1); // 25 us > 10 us threshold
    CHECK(stat(*t, "fire_err_max_ns") == 25000);
    CHECK(stat(*t, "fire_err_16384ns") == 1);
    e.clock.now = start + 6 * 10000;
    t->step(16);
    c = drain();
    REQUIRE(c.size() == 1);
    CHECK(c[0].deadline == start + 6 * 10000); // phase kept after the catch-up
}

TEST_CASE_METHOD(TimerFixture, "cancel, re-arm and rejected requests")
{
    arm(1, e.clock.now + 100);
    arm(2, e.clock.now + 100);
    REQUIRE(t->requests().push(TimerRequest{kCancel, 1, 0, 0}));
    arm(2, e.clock.now + 500); // re-arm replaces
    arm(64, e.clock.now);      // id out of range (timer_count 64)
    arm(5, e.clock.now, 999);  // period below 1 us
    REQUIRE(t->requests().push(TimerRequest{77, 6, 0, 0}));
    t->step(64);
    CHECK(stat(*t, "requests") == 7);
    CHECK(stat(*t, "cancelled") == 1);
    CHECK(stat(*t, "rejected") == 3);
    e.clock.now += 200;
    t->step(64);
    CHECK(drain().empty());
    e.clock.now += 300;
    t->step(64);
    auto c = drain();
    REQUIRE(c.size() == 1);
    CHECK(c[0].id == 2);
}

TEST_CASE_METHOD(TimerFixture, "budget bounds a step, earliest deadline fires first")
{
    for (u32 i = 0; i < 10; ++i) arm(i, e.clock.now + 100 - i);
    t->step(64);
    e.clock.now += 1000;
    CHECK(t->step(4).work_units == 4);
    auto c = drain();
    REQUIRE(c.size() == 4);
    CHECK(c[0].id == 9);
    CHECK(c[3].id == 6);
    CHECK(t->step(64).work_units == 6);
}

TEST_CASE_METHOD(TimerFixture, "a full completion ring drops records, counted, seq shows the gap")
{
    const u32 n = kCompletionRingSize + 5;
    u64 base = e.clock.now + 10;
    arm(0, base, 1000);
    t->step(64);
    for (u32 i = 0; i < n; ++i) {
        e.clock.now = base + i * 1000;
        t->step(64);
    }
    CHECK(stat(*t, "fired") == n);
    CHECK(stat(*t, "completions_dropped") == 5);
    auto c = drain();
    CHECK(c.size() == kCompletionRingSize);
    CHECK(c.back().seq == kCompletionRingSize);
}

TEST_CASE_METHOD(TimerFixture, "concurrent clients arm through the MPSC ring")
{
    constexpr u32 kThreads = 4, kPerThread = 2000;
    std::vector<std::thread> clients;
    for (u32 th = 0; th < kThreads; ++th)
        clients.emplace_back([&, th] {
            for (u32 i = 0; i < kPerThread; ++i)
                while (!t->requests().push(TimerRequest{kArm, th, e.clock.now + 1000000, 0})) std::this_thread::yield();
        });
    u64 requests = 0;
    while (requests < kThreads * kPerThread) {
        requests += t->step(256).work_units;
        std::this_thread::yield();
    }
    for (auto& c : clients) c.join();
    CHECK(stat(*t, "armed") == kThreads * kPerThread);
    CHECK(stat(*t, "rejected") == 0);
}

TEST_CASE("timer config validation names the field")
{
    CHECK(rejected_after<Timer>([](Timer::Config&) {}) == "accepted");
    CHECK(rejected_after<Timer>([](Timer::Config& c) { c.min_period_ns = 1500; }) == "min_period_ns");
    CHECK(rejected_after<Timer>([](Timer::Config& c) { c.timer_count = 0; }) == "timer_count");
    CHECK(rejected_after<Timer>([](Timer::Config& c) { c.timer_count = 257; }) == "timer_count");
}
