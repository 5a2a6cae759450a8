// The dead CPU's real clock from APERF/MPERF deltas (backends/kernel/cxx/effective_clock.h): the
// ratio, windows, the lowest window, and deltas whose product with the TSC rate overflows 64 bits.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "backends/kernel/cxx/effective_clock.h"

using namespace offsched;

TEST_CASE("the real rate is the TSC rate scaled by dAPERF / dMPERF")
{
    CHECK(effective_khz(3'000'000, 300'000'000, 300'000'000) == 3'000'000); // at the reference rate
    CHECK(effective_khz(3'000'000, 120'000'000, 300'000'000) == 1'200'000); // a low P-state: 40 %
    CHECK(effective_khz(3'000'000, 390'000'000, 300'000'000) == 3'900'000); // turbo
    CHECK(effective_khz(3'000'000, 5, 0) == 0);                             // nothing counted
    CHECK(effective_khz(0, 5, 5) == 0);
}

TEST_CASE("deltas too large for the product keep their ratio")
{
    // A vCPU descheduled for hours: 2^60 cycles of APERF at 3 GHz would overflow u64 * 3e6.
    const u64 m = 1ull << 60;
    CHECK(effective_khz(3'000'000, m / 2, m) == 1'500'000);
    CHECK(effective_khz(4'000'000, ~0ull, ~0ull) == 4'000'000);
}

TEST_CASE("windows close every window_cycles, and the lowest window is kept")
{
    EffectiveClock c;
    c.init(1'000'000, 100'000'000); // 1 GHz TSC, 100 ms windows
    CHECK(c.due(0));
    CHECK_FALSE(c.sample(0, 1000, 1000)); // opens the first window
    CHECK(c.khz() == 0);
    CHECK_FALSE(c.due(99'999'999));
    CHECK(c.due(100'000'000));
    CHECK(c.sample(100'000'000, 1000 + 50'000'000, 1000 + 100'000'000)); // half speed
    CHECK(c.khz() == 500'000);
    CHECK(c.sample(200'000'000, 1000 + 150'000'000, 1000 + 200'000'000)); // full speed again
    CHECK(c.khz() == 1'000'000);
    CHECK(c.min_khz() == 500'000);
    // Counters wrap (u64 arithmetic): deltas stay right across the wrap.
    EffectiveClock w;
    w.init(1'000'000, 1);
    w.sample(0, ~0ull - 10, ~0ull - 20);
    CHECK(w.sample(1, 89, 179)); // +100 APERF, +200 MPERF
    CHECK(w.khz() == 500'000);
}
