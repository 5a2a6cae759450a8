// Whole-machine scenarios: the claims the product makes, checked on the model.
#include "tests/sim/sim_fixture.h"

#include <nlohmann/json.hpp>

using namespace simtest;

namespace {
uint64_t os_flood_processed(const DesignResult& r)
{
    return value_of(r.flood_fate, "os_request_sock") + value_of(r.flood_fate, "os_syn_cookie") +
           value_of(r.flood_fate, "os_dropped");
}
} // namespace

TEST_CASE("default SYN flood: the baseline host becomes unreachable, offsched keeps it reachable")
{
    const SimParams p = default_params();
    auto r = run({baseline(p), offsched_design(p, {2, 3})});
    INFO(to_json(r[0]).dump(1) << "\n" << to_json(r[1]).dump(1));
    REQUIRE(r[0].legit_attempts > 400);
    REQUIRE(r[1].legit_attempts == r[0].legit_attempts); // same clients, same seed
    CHECK(r[0].legit_success_ppm < 500000);
    CHECK(r[1].legit_success_ppm >= 990000);
    CHECK(value_of(r[0].drops, "nic_ring_full") > r[0].flood_offered / 2);
}

TEST_CASE("without a flood both designs connect everyone")
{
    SimParams p = default_params();
    p.flood.rate_pps = 0;
    auto r = run({baseline(p), offsched_design(p, {2, 3})});
    for (const DesignResult& d : r) {
        INFO(to_json(d).dump(1));
        CHECK(d.legit_attempts > 400);
        CHECK(d.legit_success_ppm >= 990000);
        CHECK(d.connect_p99_ns < 5000000); // a LAN handshake plus sshd's accept, no retransmits
        CHECK(value_of(d.drops, "nic_ring_full") == 0);
    }
}

// The baseline's SYN-cookie capacity follows from its per-packet cost: every core spends
// rx + netfilter + cookie cycles per flood SYN, so cores * freq / that is the most it can take.
TEST_CASE("the baseline collapses at the flood rate its per-packet costs predict")
{
    const SimParams p = default_params();
    const uint64_t per_packet = p.os.rx_packet_cycles + p.os.netfilter_cycles + p.os.syn_cookie_cycles;
    const uint64_t capacity = uint64_t{p.machine.cores} * p.machine.freq_mhz * 1000000ull / per_packet;
    SimParams below = p, above = p;
    below.flood.rate_pps = capacity * 85 / 100;
    above.flood.rate_pps = capacity * 120 / 100;
    auto r = run({baseline(below, "0.85x"), baseline(above, "1.2x")});
    INFO("predicted capacity " << capacity << " pps\n" << to_json(r[0]).dump(1) << "\n" << to_json(r[1]).dump(1));
    // Below capacity: nothing is lost at the NIC and every client gets in.
    CHECK(value_of(r[0].drops, "nic_ring_full") == 0);
    CHECK(r[0].legit_success_ppm >= 990000);
    // Above: the OS processes flood SYNs at its capacity (less the little legit/background/sshd
    // work), drops the excess at the rings, and clients start failing.
    const uint64_t seconds_x1000 = r[1].sim_ns / 1000000;
    const uint64_t processed_pps = os_flood_processed(r[1]) * 1000 / seconds_x1000;
    CHECK(processed_pps > capacity * 95 / 100);
    CHECK(processed_pps <= capacity);
    CHECK(value_of(r[1].drops, "nic_ring_full") > r[1].flood_offered / 10);
    CHECK(r[1].legit_success_ppm < 990000);
}

TEST_CASE("same scenario and seed give byte-identical results, another seed other traffic")
{
    const SimParams p = short_params(1000000000, 100000000, 500000000, 6000000);
    auto dump = [&](uint64_t seed) {
        std::string all;
        for (const DesignResult& d : run({baseline(p), offsched_design(p, {3})}, seed)) all += to_json(d).dump() + "\n";
        return all;
    };
    const std::string a = dump(1), b = dump(1), c = dump(2);
    CHECK(a == b);
    CHECK(a != c);
}
