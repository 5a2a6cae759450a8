// The arrival processes of the NIC's streams: exact mean rate, Poisson-like variance below a
// chunk, a wire time between frames, bursts, and random access that answers the same whatever
// order packets are asked in (the ring asks far behind the newest arrival after drops).
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "backends/sim/traffic/arrival_stream.h"
#include "backends/sim/traffic/exp_sample.h"
#include "backends/sim/machine/rng.h"

using namespace offsched::sim;

namespace {

ArrivalSpec spec(Arrivals a, uint64_t pps, uint64_t min_gap_ps = 67200, uint64_t key = 1)
{
    ArrivalSpec s{a, pps * 1000, 0, 0};
    s.min_gap_ps = min_gap_ps;
    s.burst = 64;
    s.burst_gap_ps = min_gap_ps;
    s.key = key;
    return s;
}

// Variance / mean of the packet counts in consecutive windows of `window_ns`.
double dispersion(ArrivalStream& st, uint64_t window_ns, uint32_t windows)
{
    std::vector<double> n;
    uint64_t prev = 0;
    for (uint32_t w = 1; w <= windows; ++w) {
        const uint64_t now = st.arrived_by(w * window_ns);
        n.push_back(static_cast<double>(now - prev));
        prev = now;
    }
    double mean = 0, var = 0;
    for (double x : n) mean += x;
    mean /= n.size();
    for (double x : n) var += (x - mean) * (x - mean);
    var /= n.size() - 1;
    return var / mean;
}

} // namespace

TEST_CASE("exp_q32: an exponential variate of mean 1 from integers only")
{
    CHECK(exp_q32(1ull << 63) == 2977044472ull);      // -ln(1/2) = ln 2
    CHECK(exp_q32(1ull << 62) == 2 * 2977044472ull);  // -ln(1/4) = 2 ln 2
    CHECK(exp_q32(~0ull) < 16);                       // u -> 1: almost 0
    Rng rng(3);
    double sum = 0, sq = 0;
    const int n = 1000000;
    for (int i = 0; i < n; ++i) {
        const double x = static_cast<double>(exp_q32(rng.next())) / 4294967296.0;
        sum += x;
        sq += x * x;
    }
    const double mean = sum / n, var = sq / n - mean * mean;
    CHECK(mean == Approx(1.0).epsilon(0.005));
    CHECK(var == Approx(1.0).epsilon(0.01)); // exponential: variance = mean^2
}

TEST_CASE("arrival stream: every process keeps the mean rate exactly at chunk boundaries")
{
    for (Arrivals a : {Arrivals::Constant, Arrivals::Poisson, Arrivals::OnOff}) {
        // 1.024 Mpps: a poisson chunk of 1024 packets spans 1 ms, an on_off period of 64 62.5 us.
        ArrivalStream st(spec(a, 1024000));
        INFO("process " << kArrivalNames[static_cast<int>(a)]);
        for (uint64_t ms = 1; ms <= 1000; ++ms) {
            REQUIRE(st.arrived_by(ms * 1000000) == ms * 1024);
            REQUIRE(st.time_of(ms * 1024 - 1) <= ms * 1000000);
        }
    }
}

TEST_CASE("arrival stream: time_of and arrived_by agree, asked in any order")
{
    for (Arrivals a : {Arrivals::Poisson, Arrivals::OnOff}) {
        INFO("process " << kArrivalNames[static_cast<int>(a)]);
        ArrivalStream forward(spec(a, 2000000)), scattered(spec(a, 2000000));
        std::vector<uint64_t> t;
        for (uint64_t k = 0; k < 20000; ++k) t.push_back(forward.time_of(k));
        for (uint64_t k = 1; k < t.size(); ++k) REQUIRE(t[k] >= t[k - 1]);
        Rng rng(11);
        for (int i = 0; i < 20000; ++i) { // far jumps back and forth: the cache is rebuilt, not wrong
            const uint64_t k = rng.below(t.size());
            REQUIRE(scattered.time_of(k) == t[k]);
            REQUIRE(scattered.arrived_by(t[k]) >= k + 1);
            REQUIRE(scattered.arrived_by(t[k] - 1) <= k);
        }
    }
}

TEST_CASE("arrival stream: poisson counts vary like Poisson's below a chunk, constant's do not")
{
    // 1 Mpps in 50 us windows: 50 packets each, as many as a NAPI poll's budget.
    ArrivalStream poisson(spec(Arrivals::Poisson, 1000000, 0)), constant(spec(Arrivals::Constant, 1000000));
    const double d = dispersion(poisson, 50000, 4000);
    // Conditioned on 1024 per chunk, variance is n (1 - n / 1024) = 0.95 n.
    CHECK(d > 0.8);
    CHECK(d < 1.1);
    CHECK(dispersion(constant, 50000, 4000) < 0.05);
}

TEST_CASE("arrival stream: a poisson stream keeps a frame's wire time between frames, and at line rate is constant")
{
    ArrivalStream st(spec(Arrivals::Poisson, 7000000, 67200));
    uint64_t prev = st.time_of(0);
    for (uint64_t k = 1; k < 50000; ++k) {
        const uint64_t t = st.time_of(k);
        REQUIRE(t + 1 >= prev + 67); // whole ns of 67.2 ns gaps
        prev = t;
    }
    // 14.88 Mpps of 64-byte frames fills a 10 Gb/s wire: no room to vary (the constant stream).
    ArrivalStream line(spec(Arrivals::Poisson, 14880952, 67200));
    CHECK(dispersion(line, 10000, 2000) < 0.05);
}

TEST_CASE("arrival stream: on_off sends bursts back to back, one per period")
{
    ArrivalStream st(spec(Arrivals::OnOff, 1000000, 67200)); // 64 packets every 64 us
    for (uint64_t burst = 0; burst < 100; ++burst) {
        const uint64_t first = st.time_of(burst * 64), last = st.time_of(burst * 64 + 63);
        REQUIRE(first >= burst * 64000);
        REQUIRE(last < (burst + 1) * 64000 + 1);
        REQUIRE(last - first <= 63 * 68);  // the burst is on the wire, not spread
        REQUIRE(last - first >= 63 * 67);
    }
}

TEST_CASE("arrival stream: the same key gives the same stream, another key another one")
{
    ArrivalStream a(spec(Arrivals::Poisson, 1000000, 0, 5)), b(spec(Arrivals::Poisson, 1000000, 0, 5)),
        c(spec(Arrivals::Poisson, 1000000, 0, 6));
    int same = 0;
    for (uint64_t k = 0; k < 5000; ++k) {
        const uint64_t t = a.time_of(k);
        REQUIRE(t == b.time_of(k));
        same += t == c.time_of(k);
    }
    CHECK(same < 100);
}

TEST_CASE("arrival stream: start, stop and a zero rate")
{
    ArrivalSpec s = spec(Arrivals::Poisson, 1000000);
    s.start_ns = 5000;
    s.stop_ns = 1005000;
    ArrivalStream st(s);
    CHECK(st.arrived_by(4999) == 0);
    CHECK(st.arrived_by(2000000) == st.arrived_by(1005000));
    CHECK(st.arrived_by(1005000) == 1000);
    CHECK(st.time_of(999) <= 1005000);
    CHECK(st.time_of(1000) == ~0ull);
    CHECK(st.time_of(1ull << 62) == ~0ull);
    ArrivalStream none;
    CHECK(none.arrived_by(1000000000) == 0);
    CHECK(none.time_of(0) == ~0ull);
}
