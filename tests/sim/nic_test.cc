// NIC: RSS placement, ring-full drops, interrupt moderation.
#include <vector>

#include "backends/sim/hw/nic.h"
#include "backends/sim/machine/rng.h"
#include "backends/sim/hw/rss.h"
#include "backends/sim/machine/timebase.h"
#include "tests/sim/in_child.h"

using namespace offsched::sim;
using simtest::in_child;

namespace {
// Counts interrupts and, like a NAPI poll that empties the ring at once, re-arms the queue.
struct DrainingIrq : IrqLine {
    Nic* nic = nullptr;
    std::vector<uint64_t> at_ns;
    std::vector<Slot> scratch;
    void raise(uint32_t irq) override
    {
        at_ns.push_back(now_ns());
        scratch.clear();
        nic->take(irq, 1u << 30, scratch);
        nic->enable_irq(irq);
    }
};
} // namespace

TEST_CASE("RSS: Toeplitz matches the Microsoft RSS verification vector")
{
    Rss rss(4, 128);
    // 66.9.149.187:2794 -> 161.142.100.80:1766, IPv4 with TCP ports: 0x51ccc178
    CHECK(rss.hash(0x420995bb, 0xa18e6450, 2794, 1766) == 0x51ccc178u);
    // 199.92.111.2:14230 -> 65.69.140.83:4739: 0xc626b0ea
    CHECK(rss.hash(0xc75c6f02, 0x41458c53, 14230, 4739) == 0xc626b0eau);
}

TEST_CASE("RSS: Toeplitz over IPv6 matches the Microsoft RSS verification vectors")
{
    Rss rss(4, 128);
    auto hash6 = [&](const uint64_t* src, const uint64_t* dst, uint16_t sport, uint16_t dport, bool ports) {
        return rss.addr6_hash(0, src) ^ rss.addr6_hash(1, dst) ^ (ports ? rss.port6_hash(sport, dport) : 0);
    };
    // 3ffe:2501:200:1fff::7 (2794) -> 3ffe:2501:200:3::1 (1766)
    const uint64_t s1[2] = {0x3ffe250102001fffull, 7}, d1[2] = {0x3ffe250102000003ull, 1};
    CHECK(hash6(s1, d1, 2794, 1766, false) == 0x2cc18cd5u);
    CHECK(hash6(s1, d1, 2794, 1766, true) == 0x40207d3du);
    // 3ffe:501:8::260:97ff:fe40:efab (14230) -> ff02::1 (4739)
    const uint64_t s2[2] = {0x3ffe050100080000ull, 0x026097fffe40efabull}, d2[2] = {0xff02000000000000ull, 1};
    CHECK(hash6(s2, d2, 14230, 4739, true) == 0xdde51bbfu);
    // 3ffe:1900:4545:3:200:f8ff:fe21:67cf (44251) -> fe80::200:f8ff:fe21:67cf (38024)
    const uint64_t s3[2] = {0x3ffe190045450003ull, 0x0200f8fffe2167cfull}, d3[2] = {0xfe80000000000000ull, 0x0200f8fffe2167cfull};
    CHECK(hash6(s3, d3, 44251, 38024, true) == 0x02d1feefu);
}

TEST_CASE("RSS: random flows spread evenly over the queues")
{
    Rss rss(4, 128);
    Rng rng(7);
    uint32_t per_queue[4] = {};
    const uint32_t n = 40000;
    for (uint32_t i = 0; i < n; ++i)
        ++per_queue[rss.queue(static_cast<uint32_t>(rng.next()), 0x0a000001, static_cast<uint16_t>(rng.next()), 22)];
    for (uint32_t q = 0; q < 4; ++q) {
        CHECK(per_queue[q] > n / 4 * 9 / 10);
        CHECK(per_queue[q] < n / 4 * 11 / 10);
    }
    CHECK(rss.entries_for(0) == 32);
}

TEST_CASE("NIC: a ring that is not drained keeps ring_size packets and drops the rest")
{
    auto j = in_child([] {
        Ledger ledger;
        DrainingIrq irq;
        Nic nic("nic", NicConfig{2, 64, 0}, ledger, &irq);
        nic.set_polled(0);
        nic.set_polled(1);
        nic.set_streams(0, ArrivalStream::constant(1000000ull * 1000, 0, 0), ArrivalStream::constant(100000ull * 1000, 0, 0)); // 1 Mpps + 100 kpps
        sc_core::sc_start(Timebase::ns(1000000)); // 1 ms
        return nlohmann::json{{"occ0", nic.occupancy(0)}, {"occ1", nic.occupancy(1)},
                              {"drops", ledger.drops[static_cast<uint32_t>(Drop::NicRingFull)]},
                              {"flood_drops", ledger.flood[static_cast<uint32_t>(FloodFate::NicRingFull)]},
                              {"flood", ledger.arrivals[static_cast<uint32_t>(PktKind::Flood)]},
                              {"bg", ledger.arrivals[static_cast<uint32_t>(PktKind::Background)]}};
    });
    CHECK(j["occ0"] == 64);
    CHECK(j["occ1"] == 0);
    CHECK(j["flood"] == 1000);
    CHECK(j["bg"] == 100);
    CHECK(j["drops"] == 1100 - 64);
    // Both streams arrived interleaved: the 64 free slots are shared in proportion (1000:100).
    CHECK(j["flood_drops"] == 1000 - 1000 * 64 / 1100);
}

TEST_CASE("NIC: interrupt moderation caps the IRQ rate at 1/coalesce")
{
    auto run = [](uint64_t coalesce_ns, uint64_t pps) {
        return in_child([=] {
            Ledger ledger;
            DrainingIrq irq;
            Nic nic("nic", NicConfig{1, 512, coalesce_ns}, ledger, &irq);
            irq.nic = &nic;
            nic.set_streams(0, ArrivalStream::constant(pps * 1000, 0, 0), ArrivalStream());
            sc_core::sc_start(Timebase::ns(10000001)); // 10 ms, including events at 10 ms
            uint64_t min_gap = ~0ull;
            for (size_t i = 1; i < irq.at_ns.size(); ++i) min_gap = std::min(min_gap, irq.at_ns[i] - irq.at_ns[i - 1]);
            return nlohmann::json{{"irqs", irq.at_ns.size()}, {"min_gap", min_gap},
                                  {"drops", ledger.drops[static_cast<uint32_t>(Drop::NicRingFull)]}};
        });
    };
    // 1 Mpps with 50 us moderation: one IRQ per 50 us, never closer.
    auto a = run(50000, 1000000);
    CHECK(a["irqs"] == 200);
    CHECK(a["min_gap"] >= 50000);
    CHECK(a["drops"] == 0);
    // 10 kpps without moderation: one IRQ per packet.
    auto b = run(0, 10000);
    CHECK(b["irqs"] == 100);
}

TEST_CASE("rate stream: arrival times match the plain division, and arrived_by agrees with them")
{
    // time_of divides by a multiply with a reciprocal and one correction; check it against the
    // definition, ceil((k + 1) * 10^12 / rate), over odd, tiny and huge rates and stream positions.
    Rng rng(7);
    const uint64_t rates[] = {2, 3, 999, 1000, 14880000000ull, 14880000001ull, 1ull << 40, (1ull << 62) + 12345};
    for (uint64_t rate : rates) {
        INFO("rate " << rate);
        const RateStream st(rate, 1000, 0);
        for (int i = 0; i < 2000; ++i) {
            const uint64_t k = i < 1000 ? static_cast<uint64_t>(i) : rng.below(1ull << 24);
            const unsigned __int128 num = static_cast<unsigned __int128>(k + 1) * 1000000000000ull;
            const uint64_t want = 1000 + static_cast<uint64_t>((num + rate - 1) / rate);
            REQUIRE(st.time_of(k) == want);
            REQUIRE(st.arrived_by(want) >= k + 1);
            REQUIRE(st.arrived_by(want - 1) <= k);
        }
    }
}
