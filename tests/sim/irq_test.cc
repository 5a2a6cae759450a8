// Interrupt routing (smp_affinity) and IPIs.
#include <vector>

#include "backends/sim/hw/irq_controller.h"
#include "backends/sim/machine/timebase.h"
#include "tests/sim/in_child.h"

using namespace offsched::sim;
using simtest::in_child;

namespace {
using Log = std::vector<std::vector<uint64_t>>; // [kind, id, cpu, t_ns] per delivery

struct Recorder : IrqTarget {
    uint32_t cpu = 0;
    Log* log = nullptr;
    void deliver(const IrqEvent& e) override { log->push_back({static_cast<uint64_t>(e.kind), e.id, cpu, now_ns()}); }
};

// One recorder per CPU; only the CPUs in `online` are attached to the controller.
std::vector<Recorder> attach(IrqController& ic, Log& log, uint32_t cpus, const std::vector<uint32_t>& online)
{
    std::vector<Recorder> r(cpus);
    for (uint32_t c = 0; c < cpus; ++c) {
        r[c].cpu = c;
        r[c].log = &log;
    }
    for (uint32_t c : online) ic.attach(c, &r[c]);
    return r;
}
} // namespace

TEST_CASE("IRQ routing follows smp_affinity, skipping CPUs that are not online")
{
    auto j = in_child([] {
        Log log;
        IrqController ic("irqc", 4, 3);
        auto r = attach(ic, log, 4, {0, 1, 3}); // cpu 2 is offloaded: no target
        ic.set_affinity(0, 0b0010); // -> 1
        ic.set_affinity(1, 0b1100); // 2 is not online -> 3
        ic.set_affinity(2, 0b0100); // only cpu 2: falls back to the first online cpu (0)
        nlohmann::json routes = {ic.route(0), ic.route(1), ic.route(2)};
        ic.raise(1);
        return nlohmann::json{{"routes", routes}, {"log", log}};
    });
    CHECK(j["routes"] == nlohmann::json({1, 3, 0}));
    REQUIRE(j["log"].size() == 1);
    CHECK(j["log"][0][2] == 3);
}

TEST_CASE("IPIs arrive after their latency and coalesce while in flight")
{
    auto j = in_child([] {
        Log log;
        IrqController ic("irqc", 2, 1);
        auto r = attach(ic, log, 2, {0, 1});
        ic.send_ipi(1, 0xf1, 1000);
        ic.send_ipi(1, 0xf1, 1000); // same vector still pending: one IRR bit
        ic.send_ipi(1, 0xf2, 1000);
        sc_core::sc_start(Timebase::ns(5000));
        ic.send_ipi(1, 0xf1, 1000); // after delivery: a new IPI
        sc_core::sc_start(Timebase::ns(5000));
        return nlohmann::json{{"log", log}, {"sent", ic.ipis_sent()}};
    });
    REQUIRE(j["log"].size() == 3);
    CHECK(j["log"][0] == nlohmann::json({static_cast<int>(IrqKind::Ipi), 0xf1, 1, 1000}));
    CHECK(j["log"][1][1] == 0xf2);
    CHECK(j["log"][2] == nlohmann::json({static_cast<int>(IrqKind::Ipi), 0xf1, 1, 6000}));
    CHECK(j["sent"] == 3);
}
