// The SYN proxy's building blocks against references: SipHash-2-4 against the paper's test
// vector, incremental checksum updates against a full recomputation (odd offsets included).
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "services/common/siphash.h"
#include "services/firewall/synproxy_cookie.h"
#include "services/net/byte_order.h"
#include "services/net/checksum.h"

using namespace offsched;

TEST_CASE("SipHash-2-4 matches the reference vector, the two-word form matches the byte form")
{
    SipKey k;
    u8 key[16];
    for (u8 i = 0; i < 16; ++i) key[i] = i;
    for (u32 i = 0; i < 8; ++i) {
        k.k0 |= u64{key[i]} << (8 * i);
        k.k1 |= u64{key[8 + i]} << (8 * i);
    }
    u8 msg[16];
    for (u8 i = 0; i < 16; ++i) msg[i] = i;
    CHECK(siphash24(k, msg, 15) == 0xa129ca6149be45e5ull); // Aumasson & Bernstein, appendix A
    u64 a = 0, b = 0;
    for (u32 i = 0; i < 8; ++i) {
        a |= u64{msg[i]} << (8 * i);
        b |= u64{msg[8 + i]} << (8 * i);
    }
    CHECK(siphash24_2u64(k, a, b) == siphash24(k, msg, 16));
}

TEST_CASE("incremental checksum rewrite equals a full recomputation at any offset")
{
    std::mt19937 rng(7);
    for (int round = 0; round < 2000; ++round) {
        std::vector<u8> seg(40 + (rng() % 20) * 2);
        for (u8& b : seg) b = static_cast<u8>(rng());
        net::store_be16(&seg[16], 0);
        net::store_be16(&seg[16], net::l4_checksum(1, 2, 6, seg.data(), static_cast<u16>(seg.size())));
        const u32 n = (rng() % 2) ? 4 : 2;
        u32 at = 20 + rng() % static_cast<u32>(seg.size() - 20 - n); // odd or even, past the checksum
        u8 v[4];
        for (u8& b : v) b = static_cast<u8>(rng());
        net::csum_rewrite(&seg[16], seg.data(), &seg[at], v, n);
        INFO("round " << round << " offset " << at << " bytes " << n);
        REQUIRE(net::l4_checksum(1, 2, 6, seg.data(), static_cast<u16>(seg.size())) == 0);
    }
}

TEST_CASE("timestamp cookie round-trips the options and never runs ahead of the clock")
{
    using namespace firewall;
    for (u8 ws : {u8{0}, u8{7}, u8{14}, u8{0xff}})
        for (bool sack : {false, true})
            for (bool ecn : {false, true}) {
                const u32 now = 123456789u;
                const u32 ts = ts_cookie_encode(now, TsCookieOptions{ws, sack, ecn});
                CHECK(ts <= now);
                CHECK(now - ts < 128);
                const TsCookieOptions o = ts_cookie_decode(ts);
                CHECK(o.wscale == ws);
                CHECK(o.sack == sack);
                CHECK(o.ecn == ecn);
            }
}

TEST_CASE("cookie MSS index is Linux's msstab choice")
{
    using namespace firewall;
    CHECK(kCookieMss[cookie_mss_index(0)] == 536);
    CHECK(kCookieMss[cookie_mss_index(1299)] == 536);
    CHECK(kCookieMss[cookie_mss_index(1300)] == 1300);
    CHECK(kCookieMss[cookie_mss_index(1452)] == 1440);
    CHECK(kCookieMss[cookie_mss_index(9000)] == 1460);
}
