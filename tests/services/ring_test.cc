// SPSC and MPSC rings: sequential semantics, then multi-threaded stress checking that every
// item arrives exactly once and in per-producer order (no timing assertions).
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "services/ring/mpsc_ring.h"
#include "services/ring/spsc_ring.h"

using namespace offsched;

namespace {
struct Item {
    u32 producer;
    u32 seq;
    u64 check; // derived from the others: torn copies would not match
};
Item item(u32 p, u32 s) { return Item{p, s, (u64{p} << 32 | s) * 0x9e3779b97f4a7c15ull}; }
} // namespace

TEST_CASE("spsc ring: fill, full, drain, wrap")
{
    auto r = std::make_unique<SpscRing<u32, 4>>();
    r->init();
    for (u32 round = 0; round < 3; ++round) {
        for (u32 i = 0; i < 4; ++i) CHECK(r->push(round * 10 + i));
        CHECK_FALSE(r->push(99));
        CHECK(r->size() == 4);
        u32 v;
        for (u32 i = 0; i < 4; ++i) {
            REQUIRE(r->pop(&v));
            CHECK(v == round * 10 + i);
        }
        CHECK_FALSE(r->pop(&v));
    }
}

TEST_CASE("mpsc ring: fill, full, drain, wrap")
{
    auto r = std::make_unique<MpscRing<u32, 8>>();
    r->init();
    for (u32 round = 0; round < 3; ++round) {
        for (u32 i = 0; i < 8; ++i) CHECK(r->push(round * 100 + i));
        CHECK_FALSE(r->push(1));
        u32 v;
        for (u32 i = 0; i < 8; ++i) {
            REQUIRE(r->pop(&v));
            CHECK(v == round * 100 + i);
        }
        CHECK_FALSE(r->pop(&v));
    }
}

TEST_CASE("spsc ring stress: one producer thread, one consumer thread")
{
    constexpr u32 kItems = 50000;
    auto r = std::make_unique<SpscRing<Item, 64>>();
    r->init();
    std::thread producer([&] {
        for (u32 i = 0; i < kItems; ++i)
            while (!r->push(item(0, i))) std::this_thread::yield();
    });
    u32 next = 0, bad = 0;
    Item it;
    while (next < kItems) {
        if (!r->pop(&it)) {
            std::this_thread::yield(); // 2-core machine: let producers run
            continue;
        }
        const Item want = item(0, next);
        bad += it.seq != next || it.check != want.check;
        ++next;
    }
    producer.join();
    CHECK(bad == 0);
    CHECK_FALSE(r->pop(&it));
}

TEST_CASE("mpsc ring stress: four producers, one consumer, exactly-once in per-producer order")
{
    constexpr u32 kProducers = 4, kItems = 20000;
    auto r = std::make_unique<MpscRing<Item, 128>>();
    r->init();
    std::vector<std::thread> producers;
    for (u32 p = 0; p < kProducers; ++p)
        producers.emplace_back([&, p] {
            for (u32 i = 0; i < kItems; ++i)
                while (!r->push(item(p, i))) std::this_thread::yield();
        });
    std::vector<u32> next(kProducers, 0);
    u32 got = 0, bad = 0;
    Item it;
    while (got < kProducers * kItems) {
        if (!r->pop(&it)) {
            std::this_thread::yield(); // 2-core machine: let producers run
            continue;
        }
        if (it.producer >= kProducers) {
            ++bad;
            break;
        }
        bad += it.seq != next[it.producer] || it.check != item(it.producer, it.seq).check;
        next[it.producer] = it.seq + 1;
        ++got;
    }
    for (auto& t : producers) t.join();
    CHECK(bad == 0);
    for (u32 p = 0; p < kProducers; ++p) CHECK(next[p] == kItems);
    CHECK_FALSE(r->pop(&it));
}
