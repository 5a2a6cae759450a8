// The doorbell protocol (services/ring/doorbell_arm.h): its sequential rules, then a real producer
// thread and consumer thread that sleeps between doorbells, checking that no frame is ever left
// without a wake-up and that no doorbell is rung while the consumer polls.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "services/ring/doorbell_arm.h"
#include "services/ring/spsc_ring.h"

using namespace offsched;

TEST_CASE("doorbell arm: a sleeping consumer is rung once, a polling one never")
{
    DoorbellArm a;
    a.init();
    CHECK(a.producer_claim());        // armed from the start: the first frames ring
    CHECK_FALSE(a.producer_claim());  // the consumer is (about to be) polling: no second IPI
    bool empty = true;
    CHECK_FALSE(a.consumer_rearm([&] { return empty; })); // drained: sleep, armed again
    CHECK(a.producer_claim());
    empty = false;
    CHECK(a.consumer_rearm([&] { return empty; }));       // frames raced in: the consumer claims them
    CHECK_FALSE(a.producer_claim());                       // ...so the producer must not ring
}

TEST_CASE("doorbell arm stress: no lost wake-up, no doorbell to a polling consumer")
{
    constexpr u32 kItems = 200000;
    auto ring = std::make_unique<SpscRing<u32, 64>>();
    ring->init();
    DoorbellArm arm;
    arm.init();
    std::atomic<u64> rung{0}; // the "IPI": the consumer waits for it to move
    std::thread producer([&] {
        for (u32 i = 0; i < kItems; ++i) {
            while (!ring->push(i)) std::this_thread::yield();
            if (arm.producer_claim()) rung.fetch_add(1, std::memory_order_release);
        }
    });
    u32 next = 0, bad = 0;
    u64 woken = 0;
    bool lost = false;
    for (;;) {
        u32 v;
        while (ring->pop(&v)) bad += v != next++;
        if (next == kItems) break;
        if (arm.consumer_rearm([&] { return ring->size() == 0; })) continue; // raced in: keep polling
        // Asleep until a doorbell. A lost wake-up would leave us here with frames in the ring.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (rung.load(std::memory_order_acquire) == woken && !(lost = std::chrono::steady_clock::now() > deadline))
            std::this_thread::yield();
        if (lost) break;
        ++woken;
        CHECK(rung.load() == woken); // exactly one doorbell per sleep
    }
    producer.join();
    CHECK_FALSE(lost);
    CHECK(next == kItems);
    CHECK(bad == 0);
    // Every doorbell woke a sleep; the last one may have come after the final frames were read.
    CHECK(rung.load() >= woken);
    CHECK(rung.load() <= woken + 1);
    CHECK(woken < kItems); // frames share wake-ups
}
