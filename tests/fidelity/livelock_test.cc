// scenarios/livelock.yaml against the shape of Mogul & Ramakrishnan (TOCS 1997, figs 6-1 and
// 6-3): interrupt-driven receive rises with the input, peaks at the largest loss-free rate and
// falls to nothing; designs with feedback (the reader polls only what it can consume) hold the
// peak. Every number comes from running the shipped scenario on the real model.
#include <catch2/catch.hpp>

#include <algorithm>

#include "backends/sim/run/simulate.h"
#include "tests/fidelity/sweep_curves.h"
#include "tools/lib/scenario_loader.h"

using namespace offsched::fidelity;

namespace {

// Inputs from well below to ~4x the CPU's receive capacity (the model's peak is ~0.4-0.6 Mpps).
const std::map<std::string, Curve>& curves()
{
    static const std::map<std::string, Curve> c =
        sweep("livelock.yaml", "background.rate_pps", {100000, 300000, 500000, 700000, 1000000, 1500000, 2000000});
    return c;
}

const Curve& curve(const std::string& design)
{
    INFO(table("background.rate_pps", curves()));
    REQUIRE(curves().count(design) == 1);
    return curves().at(design);
}

} // namespace

TEST_CASE("livelock: interrupt-driven receive rises, peaks at the loss-free rate, then collapses")
{
    const Curve& c = curve("irq_per_packet");
    INFO(table("background.rate_pps", curves()));
    const size_t peak = peak_index(c);
    CHECK(peak > 0);                        // an interior peak, not the first point...
    CHECK(peak + 1 < c.output.size());      // ...nor the last
    CHECK(rises_until(c, peak + 1));        // monotone rise up to it
    // Below the peak nothing is lost: output equals input (within 1%).
    for (size_t i = 0; i <= peak; ++i) CHECK(c.output[i] * 100 >= c.input[i] * 99);
    // Just past it the reader no longer keeps up: datagrams the kernel received are thrown away.
    CHECK(c.output[peak + 1] * 100 < c.input[peak + 1] * 95);
    CHECK(c.lost[peak + 1] > 0);
    // Collapse: at the highest input the output is below 5% of the peak (receive livelock).
    CHECK(c.output.back() * 20 < c.output[peak]);
}

TEST_CASE("livelock: lazy receiver processing (LRP) has no livelock and the reader keeps its share")
{
    // Druschel & Banga (OSDI 1996): with soft demux the interrupt still costs something per
    // packet, so past the peak the output declines slowly with the input (their SOFT-LRP curve),
    // never towards zero, and no datagram is dropped after protocol work was spent on it.
    const Curve& lrp = curve("lrp");
    const Curve& napi = curve("napi");
    INFO(table("background.rate_pps", curves()));
    const size_t peak = peak_index(lrp);
    CHECK(peak > 0);
    CHECK(rises_until(lrp, peak + 1));
    CHECK(min_after_ppm(lrp, peak) >= 800000); // >= 80% of the peak at 4x the capacity
    for (size_t i = peak + 1; i < lrp.output.size(); ++i) CHECK(lrp.output[i] <= lrp.output[i - 1]); // slow decline
    for (uint64_t lost : lrp.lost) CHECK(lost == 0); // early discard only: nothing wasted
    // Where NAPI's reader starves (before ksoftirqd takes over), LRP's keeps its share.
    uint64_t napi_worst = napi.output[peak];
    for (size_t i = peak; i < napi.output.size(); ++i) napi_worst = std::min(napi_worst, napi.output[i]);
    CHECK(napi_worst * 2 < lrp.output[peak]);
}

TEST_CASE("livelock: the reader polling its own receive work (busy poll) holds the peak")
{
    for (const char* design : {"busy_poll", "offsched_busy_poll"}) {
        const Curve& c = curve(design);
        INFO(design);
        INFO(table("background.rate_pps", curves()));
        const size_t peak = peak_index(c);
        CHECK(peak > 0);
        CHECK(rises_until(c, peak + 1));
        // Flat: every input past the peak keeps at least 95% of it; the excess is dropped at the
        // NIC (or by the offloaded core) before the OS spends anything on it.
        CHECK(min_after_ppm(c, peak) >= 950000);
        for (uint64_t lost : c.lost) CHECK(lost * 100 <= c.output.back()); // almost no socket drops
    }
}

TEST_CASE("livelock: the offloaded core with a polling reader beats interrupt-driven receive at every overload")
{
    const Curve& irq = curve("irq_per_packet");
    const Curve& off = curve("offsched_busy_poll");
    const size_t peak = peak_index(irq);
    for (size_t i = peak + 1; i < irq.output.size(); ++i) CHECK(off.output[i] > irq.output[i]);
    CHECK(off.output.back() >= irq.output[peak]); // at 2 Mpps it still delivers the interrupt design's best
}

TEST_CASE("livelock: always-deferred softirq (ksoftirqd) degrades gracefully: the scheduler shares the CPU")
{
    const Curve& c = curve("ksoftirqd");
    INFO(table("background.rate_pps", curves()));
    const size_t saturated = 2; // 500 kpps: past the CPU's loss-free rate
    CHECK(min_after_ppm(c, saturated) >= 800000);
    CHECK(c.output.back() * 100 >= c.output[peak_index(c)] * 80);
}

TEST_CASE("livelock: NAPI without feedback from the socket queue loses output before ksoftirqd takes over")
{
    // As Mogul's "polling, no feedback" curve with screend (fig 6-3): the softirq run from
    // irq_exit keeps pre-empting the reader while it still keeps up with the ring, so output falls
    // with input; once the ring outruns it, work moves to ksoftirqd and the reader gets a share.
    const Curve& c = curve("napi");
    INFO(table("background.rate_pps", curves()));
    const size_t peak = peak_index(c);
    const Curve& bp = curve("busy_poll");
    uint64_t worst = c.output[peak];
    for (size_t i = 2; i < c.output.size(); ++i) worst = std::min(worst, c.output[i]);
    CHECK(worst * 2 < bp.output[peak_index(bp)]);            // a deep dip past saturation...
    CHECK(c.output.back() * 100 >= bp.output.back() * 80);   // ...and recovery at the highest input
}

TEST_CASE("livelock: every receive design is deterministic (same scenario and seed, same bytes)")
{
    // Two runs of the overloaded point must agree byte for byte, or the curves above could not be
    // compared across designs at all.
    const auto sc = offsched::tools::load_scenario(std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/livelock.yaml",
                                                   {{"background.rate_pps", "1000000"}});
    std::vector<offsched::sim::DesignResult> a, b;
    std::string error;
    REQUIRE(offsched::sim::simulate(sc, &a, &error));
    REQUIRE(offsched::sim::simulate(sc, &b, &error));
    REQUIRE(a.size() == 7);
    for (size_t i = 0; i < a.size(); ++i) {
        INFO(a[i].design);
        CHECK(offsched::sim::to_json(a[i]).dump() == offsched::sim::to_json(b[i]).dump());
    }
}

TEST_CASE("livelock: a pre-NAPI interrupt drains its ring, so moderation does not cap receive at one frame per interrupt")
{
    // 300 kpps with 50 us moderation: one frame per interrupt would deliver 20,000/s with the
    // core mostly idle; a handler that takes what the ring holds delivers all of it.
    const auto c = sweep("livelock.yaml", "background.rate_pps", {300000}, {"nic.irq_coalesce_ns=50us"});
    INFO(table("background.rate_pps", c));
    REQUIRE(c.count("irq_per_packet") == 1);
    CHECK(c.at("irq_per_packet").output[0] * 100 >= 300000 * 99);
    // With a limit of one frame the cap comes back: the limit is what is modelled.
    const auto one = sweep("livelock.yaml", "background.rate_pps", {300000}, {"nic.irq_coalesce_ns=50us", "os.irq_rx_limit=1"});
    CHECK(one.at("irq_per_packet").output[0] <= 20000);
}
