// scenarios/napi_offload.yaml on the real SystemC model: in-kernel NAPI (GRO in softirq) against
// the napi service on an offloaded core. Expectations are derived from the scenario's own cost
// parameters (os.*, offload.*) and the service's counters, not copied from a run.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>

#include "backends/sim/run/simulate.h"
#include "tools/lib/scenario_loader.h"

using namespace offsched;

namespace {

const std::string kScenario = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/napi_offload.yaml";

struct Run {
    sim::Scenario scenario;
    std::vector<sim::DesignResult> results;
    const sim::DesignResult& operator[](const std::string& name) const
    {
        for (const auto& r : results)
            if (r.design == name) return r;
        FAIL("no design " << name);
        return results.front();
    }
    const sim::SimParams& params(const std::string& name) const
    {
        for (const auto& d : scenario.designs)
            if (d.name == name) return d.params;
        FAIL("no design " << name);
        return scenario.designs.front().params;
    }
};

Run run(const std::vector<tools::ParamOverride>& sets)
{
    Run r{tools::load_scenario(kScenario, sets), {}};
    std::string error;
    const bool ok = sim::simulate(r.scenario, &r.results, &error);
    INFO(error);
    REQUIRE(ok);
    return r;
}

// The scenario at `rate` packets/s, shortened (the receive path reaches steady state in the warm-up).
Run at(const char* rate) { return run({{"background.rate_pps", rate}, {"run.duration_ns", "300ms"}, {"run.warmup_ns", "50ms"}}); }

uint64_t stat(const sim::DesignResult& r, const std::string& name)
{
    for (const auto& [k, v] : r.service_stats)
        if (k == name) return v;
    return 0;
}

uint64_t drop(const sim::DesignResult& r, const std::string& name)
{
    for (const auto& [k, v] : r.drops)
        if (k == name) return v;
    return 0;
}

// Receive work (hardirq + softirq + ksoftirqd) of the OS cores per delivered packet.
uint64_t os_cycles_per_packet(const sim::DesignResult& r)
{
    uint64_t c = 0;
    for (const auto& u : r.cores)
        if (u.role == "os")
            c += u.cycles[static_cast<uint32_t>(sim::CpuMode::Hardirq)] + u.cycles[static_cast<uint32_t>(sim::CpuMode::Softirq)] +
                 u.cycles[static_cast<uint32_t>(sim::CpuMode::Ksoftirqd)];
    REQUIRE(r.rx.delivered > 0);
    return c / r.rx.delivered;
}

uint64_t lost(const sim::DesignResult& r)
{
    return drop(r, "nic_ring_full") + drop(r, "host_ring_full") + drop(r, "service");
}

} // namespace

TEST_CASE("napi_offload: under load a doorbell IPI serves many packets")
{
    for (const char* rate : {"819000", "4000000"}) {
        INFO("rate " << rate);
        const Run r = at(rate);
        const auto& off = r["offsched"];
        REQUIRE(off.rx.delivered > 100000);
        // Far below one per packet: at most one per 10 packets at line rate, one per 50 beyond.
        CHECK(off.rx.doorbells * 10 < off.rx.delivered);
        if (std::string(rate) == "4000000") CHECK(off.rx.doorbells * 50 < off.rx.delivered);
        // The service rang at most one doorbell per step and cpu; only those that found the OS
        // side asleep (its ring armed) became IPIs, and every IPI is one the service rang.
        CHECK(off.rx.doorbells <= stat(off, "doorbells"));
        CHECK(off.rx.nic_irqs == 0); // the OS never hears from the NIC: the service owns it
    }
}

TEST_CASE("napi_offload: without the poller's batching, a moderate load wakes the OS for every frame")
{
    // coalesce_ns 0 at a moderate rate: every step passes a frame or two and the OS drains them
    // before the next: the doorbell protocol then rings each time (the OS really sleeps between
    // frames), which is what the poller's batching exists to avoid.
    Run r{tools::load_scenario(kScenario, {{"background.rate_pps", "200000"}, {"run.duration_ns", "200ms"}, {"run.warmup_ns", "20ms"}}), {}};
    for (auto& d : r.scenario.designs)
        if (d.service) {
            ConfigError err;
            REQUIRE(d.service->validate(d.service_config.data(), &err));
            // Set napi's coalesce_ns to 0 where its schema says the field lives.
            const FieldDesc* f = nullptr;
            for (u32 i = 0; i < d.service->schema.count; ++i)
                if (std::string(d.service->schema.fields[i].name) == "coalesce_ns") f = &d.service->schema.fields[i];
            REQUIRE(f);
            uint32_t zero = 0;
            std::memcpy(d.service_config.data() + f->offset, &zero, sizeof zero);
        }
    std::string error;
    REQUIRE(sim::simulate(r.scenario, &r.results, &error));
    const auto& unbatched = r["offsched"];
    const Run batched = run({{"background.rate_pps", "200000"}, {"run.duration_ns", "200ms"}, {"run.warmup_ns", "20ms"}});
    CHECK(unbatched.rx.doorbells * 10 > unbatched.rx.delivered * 9);      // ~1 per frame
    CHECK(batched["offsched"].rx.doorbells * 3 < batched["offsched"].rx.delivered); // batching: < 1/3
}

TEST_CASE("napi_offload: offloaded NAPI costs the online cores fewer cycles per packet, as the cost params predict")
{
    for (const char* rate : {"819000", "4000000"}) {
        INFO("rate " << rate);
        const Run r = at(rate);
        const auto& base = r["baseline"];
        const auto& off = r["offsched"];
        const sim::OsParams& os = r.params("offsched").os;
        const uint64_t cpp_base = os_cycles_per_packet(base), cpp_off = os_cycles_per_packet(off);
        INFO("baseline " << cpp_base << " cycles/packet, offsched " << cpp_off);
        // The JSON's figure is the same quotient, rounded.
        CHECK(off.rx.os_cycles_per_packet - cpp_off <= 1);
        CHECK(base.rx.os_cycles_per_packet - cpp_base <= 1);
        // In-kernel NAPI pays the driver's receive path for every segment, GRO or not.
        CHECK(cpp_base >= r.params("baseline").os.rx_packet_cycles);
        // Offloaded: per merged frame one passed frame + netfilter + TCP + its share of a doorbell
        // IPI; per further segment only its copy out of the ring.
        const uint64_t segs_per_frame = stat(off, "coalesced") / stat(off, "passed");
        REQUIRE(segs_per_frame >= 2);
        const uint64_t per_frame = os.passed_packet_cycles + os.netfilter_cycles + os.established_cycles;
        const uint64_t expected = os.passed_segment_cycles + (per_frame - os.passed_segment_cycles) / segs_per_frame +
                                  os.ipi_cycles * off.rx.doorbells / off.rx.delivered;
        INFO("expected " << expected);
        CHECK(cpp_off * 100 <= expected * 115); // ticks, softirq entry and partial batches on top
        CHECK(cpp_off * 100 >= expected * 85);
        CHECK(cpp_off < cpp_base);
        CHECK(cpp_off < os.rx_packet_cycles); // below even the driver's share of the stock path
    }
}

TEST_CASE("napi_offload: receive latency is bounded by each design's batching period")
{
    for (const char* rate : {"200000", "819000", "4000000"}) {
        INFO("rate " << rate);
        const Run r = at(rate);
        const auto& base = r["baseline"];
        const auto& off = r["offsched"];
        const sim::SimParams& p = r.params("offsched");
        REQUIRE(base.rx.latency_p50_ns > 0);
        REQUIRE(off.rx.latency_p50_ns > 0);
        CHECK(base.rx.latency_p50_ns <= base.rx.latency_p99_ns);
        CHECK(base.rx.latency_p99_ns <= base.rx.latency_max_ns);
        CHECK(off.rx.latency_p50_ns <= off.rx.latency_p99_ns);
        CHECK(off.rx.latency_p99_ns <= off.rx.latency_max_ns);
        // Offloaded: a segment waits at most one batching period (coalesce_ns, 20 us in the
        // scenario), then the IPI and one poll of the host ring.
        CHECK(off.rx.latency_max_ns <= 20000 + p.offload.ipi_latency_ns + 10000);
        // In-kernel: at most one interrupt moderation gap, then the poll.
        CHECK(base.rx.latency_max_ns <= 2 * r.params("baseline").nic.irq_coalesce_ns);
    }
}

TEST_CASE("napi_offload: at moderate load neither design loses a frame")
{
    for (const char* rate : {"200000", "819000"}) {
        INFO("rate " << rate);
        const Run r = at(rate);
        for (const auto& d : r.results) {
            INFO(d.design);
            CHECK(lost(d) == 0);
            for (const auto& [k, v] : d.drops) CHECK(v == 0);
            // Every segment that arrived is delivered, but those still in a ring at the end.
            const uint64_t rate_pps = std::stoull(rate);
            const uint64_t arrived = rate_pps * 300 / 1000;
            CHECK(d.rx.delivered + rate_pps / 1000 >= arrived); // at most 1 ms of arrivals in flight
            CHECK(d.rx.delivered <= arrived + 1);
            CHECK(d.rx.delivered_pps * 1000 >= rate_pps * 999);
        }
    }
}

TEST_CASE("napi_offload: in-kernel NAPI saturates one core first, the offloaded design carries on")
{
    const Run r = at("8000000");
    const auto& base = r["baseline"];
    const auto& off = r["offsched"];
    const sim::SimParams& p = r.params("baseline");
    // One flow lands on one queue and one core: at least rx_packet_cycles a segment caps it.
    const uint64_t one_core = uint64_t{p.machine.freq_mhz} * 1000000 / p.os.rx_packet_cycles;
    CHECK(base.rx.delivered_pps <= one_core);
    CHECK(lost(base) > 0);
    CHECK(off.rx.delivered_pps * 100 >= 8000000ull * 99);
    CHECK(lost(off) == 0);
}

TEST_CASE("napi_offload: same seed, byte-identical JSON, the table answers with a verdict per design")
{
    const Run a = at("819000"), b = at("819000");
    REQUIRE(a.results.size() == 2);
    for (size_t i = 0; i < a.results.size(); ++i) CHECK(sim::to_json(a.results[i]).dump() == sim::to_json(b.results[i]).dump());

    const std::string cmd = std::string(OFFSCHED_SIM_BINARY) + " " + kScenario + " --set run.duration_ns=100ms --set run.warmup_ns=20ms 2>/dev/null";
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe);
    std::string out;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    REQUIRE(pclose(pipe) == 0);
    INFO(out);
    CHECK(out.find("Did every packet reach its socket, and what did it cost the online cores?") != std::string::npos);
    CHECK(out.find("  baseline  yes") != std::string::npos);
    CHECK(out.find("  offsched  yes") != std::string::npos);
    CHECK(out.find("online cores: cycles/packet") != std::string::npos);
    CHECK(out.find("doorbell IPIs/packet") != std::string::npos);
    CHECK(out.find("Could the admin ssh in?") == std::string::npos); // no ssh clients in this scenario
}
