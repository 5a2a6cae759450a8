// SourceTable eviction policy and TokenBucket arithmetic, tested directly.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "services/common/token_bucket.h"
#include "services/firewall/source_table.h"

using namespace offsched;
using firewall::SourceTable;

TEST_CASE("token bucket: exact refill, cap, no overflow after a long idle")
{
    TokenBucketParams p;
    p.init(3, 2, 1000); // 1 MHz, 3 tokens/s: one token per 333333.33 cycles
    TokenBucket b;
    b.fill(p, 0);
    CHECK(b.take(p, 0));
    CHECK(b.take(p, 0));
    CHECK_FALSE(b.take(p, 0));
    // 1e6 cycles give exactly 3 tokens, capped at the burst of 2.
    CHECK_FALSE(b.take(p, 333333)); // 333333 * 3 = 999999 < 1e6 units
    CHECK(b.take(p, 333334));       // 1000002 units
    CHECK_FALSE(b.take(p, 333334));
    CHECK(b.take(p, 666667)); // credit carried: 2 + 333333*3 = 1000001
    CHECK(b.take(p, ~0ull >> 1)); // huge dt: full (2 tokens), not an overflowed credit
    CHECK(b.take(p, ~0ull >> 1));
    CHECK_FALSE(b.take(p, ~0ull >> 1));
}

TEST_CASE("source table: full probe window evicts the least recently used entry")
{
    auto t = std::make_unique<SourceTable>();
    t->init(42);
    TokenBucketParams p;
    p.init(1, 1, 1000);
    // Sources that share one home slot fill one probe window.
    std::vector<u32> same;
    const u32 home = SourceTable::home_slot(1, 0, 42);
    for (u32 s = 1; same.size() < SourceTable::kProbe + 1; ++s)
        if (SourceTable::home_slot(s, 0, 42) == home) same.push_back(s);
    bool evicted = false;
    for (u32 i = 0; i < SourceTable::kProbe; ++i) {
        t->lookup(same[i], 0, p, 100 + i, &evicted);
        CHECK_FALSE(evicted);
    }
    t->lookup(same[0], 0, p, 200, &evicted).take(p, 200); // use the oldest: same[1] becomes the LRU
    CHECK_FALSE(evicted);
    t->lookup(same[SourceTable::kProbe], 0, p, 201, &evicted);
    CHECK(evicted);
    CHECK(t->contains(same[0], 0));
    CHECK_FALSE(t->contains(same[1], 0));
    CHECK(t->contains(same[SourceTable::kProbe], 0));
    CHECK(t->occupied() == SourceTable::kProbe);
    // The newcomer starts full; the same source under another rule is a different key.
    CHECK(t->lookup(same[SourceTable::kProbe], 0, p, 201, &evicted).take(p, 201));
    CHECK_FALSE(t->contains(same[0], 1));
}
