// --vcd: the sink's values traced by SystemC's own VCD writer during a real sc_start, then the
// file parsed back: the signals are declared and change at the simulated times they were set.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include <systemc>

#include "backends/sim/trace/trace_session.h"
#include "tests/trace/synthetic_run.h"
#include "tests/trace/test_dir.h"

using namespace offsched;
using namespace offsched::sim::trace;

namespace {

// Plays the synthetic run in simulated time: each event waits until its timestamp.
struct Player : sc_core::sc_module {
    SC_HAS_PROCESS(Player);
    Player(sc_core::sc_module_name n, Trace t) : sc_module(n), trace(t) { SC_THREAD(run); }
    Trace trace;
    void run()
    {
        auto at = [](uint64_t ns) {
            const auto now = static_cast<uint64_t>(sc_core::sc_time_stamp().to_seconds() * 1e9 + 0.5);
            if (ns > now) sc_core::wait(sc_core::sc_time(static_cast<double>(ns - now), sc_core::SC_NS));
        };
        at(1000);
        trace.core_mode(1000, 0, sim::CpuMode::Hardirq);
        trace.irq_line(1000, 1, true);
        at(3000);
        trace.core_mode(3000, 0, sim::CpuMode::Softirq);
        trace.irq_line(3000, 1, false);
        trace.ring_fill(3000, 1, 200);
        at(9000);
        trace.core_mode(9000, 0, sim::CpuMode::User, "sshd");
        trace.flow(9000, 7, FlowStep::Accept, 0);
        at(20000);
    }
};

struct Signal {
    std::string id;
    int width = 0;
    std::map<uint64_t, uint64_t> changes; // time -> value
};

std::map<std::string, Signal> parse_vcd(const std::string& path, uint64_t* unit_ps)
{
    std::ifstream in(path);
    REQUIRE(in);
    std::map<std::string, Signal> by_name;
    std::map<std::string, std::string> id_to_name;
    std::string tok, text((std::istreambuf_iterator<char>(in)), {});
    std::istringstream s(text);
    uint64_t now = 0;
    bool defs = true;
    while (s >> tok) {
        if (defs && tok == "$timescale") {
            std::string v, unit;
            s >> v;
            if (v.find_first_not_of("0123456789") != std::string::npos) { // "1ns" or "1 ns"
                unit = v.substr(v.find_first_not_of("0123456789"));
                v = v.substr(0, v.size() - unit.size());
            } else
                s >> unit;
            const std::map<std::string, uint64_t> ps{{"ps", 1}, {"ns", 1000}, {"us", 1000000}};
            REQUIRE(ps.count(unit));
            *unit_ps = std::stoull(v) * ps.at(unit);
        } else if (defs && tok == "$var") {
            std::string type, width, id, name;
            s >> type >> width >> id >> name;
            by_name[name] = {id, std::stoi(width), {}};
            id_to_name[id] = name;
        } else if (tok == "$enddefinitions") {
            defs = false;
        } else if (!defs && tok[0] == '#') {
            now = std::stoull(tok.substr(1));
        } else if (!defs && (tok[0] == 'b' || tok[0] == '0' || tok[0] == '1') && tok.size() > 0) {
            std::string value, id;
            if (tok[0] == 'b') {
                value = tok.substr(1);
                s >> id;
            } else {
                value = tok.substr(0, 1);
                id = tok.substr(1);
            }
            if (id_to_name.count(id) && value.find_first_not_of("01") == std::string::npos)
                by_name[id_to_name[id]].changes[now] = std::stoull(value, nullptr, 2);
        }
    }
    return by_name;
}

} // namespace

TEST_CASE("the VCD (--vcd) holds core modes, IRQ lines and ring fills as SystemC waveforms", "[trace][vcd]")
{
    test::TestDir dir;
    TraceOptions o;
    o.vcd_path = dir / "run.vcd";
    const test::SyntheticRun shape;
    auto session = std::make_unique<TraceSession>(o, test::synthetic_layout(shape));
    REQUIRE(session->ok());
    Player player("player", session->handle());
    sc_core::sc_start(sc_core::sc_time(20, sc_core::SC_US));
    std::string error;
    REQUIRE(session->close(20000, &error));
    session.reset();

    uint64_t unit_ps = 0;
    auto sig = parse_vcd(o.vcd_path, &unit_ps);
    REQUIRE(unit_ps > 0);
    for (const char* name : {"core0_mode", "core1_mode", "core2_mode", "irq0", "irq1", "ring0_fill", "ring1_fill", "legit_accepted"})
        REQUIRE(sig.count(name) == 1);
    CHECK(sig["irq1"].width == 1);
    auto value_at = [&](const std::string& name, uint64_t ns) {
        uint64_t v = 0;
        for (const auto& [t, val] : sig[name].changes)
            if (t * unit_ps <= ns * 1000) v = val;
        return v;
    };
    CHECK(value_at("core0_mode", 500) == uint64_t(sim::CpuMode::Idle));
    CHECK(value_at("core0_mode", 1500) == uint64_t(sim::CpuMode::Hardirq));
    CHECK(value_at("core0_mode", 5000) == uint64_t(sim::CpuMode::Softirq));
    CHECK(value_at("core0_mode", 15000) == uint64_t(sim::CpuMode::User));
    CHECK(value_at("irq1", 2000) == 1);
    CHECK(value_at("irq1", 4000) == 0);
    CHECK(value_at("ring1_fill", 2000) == 0);
    CHECK(value_at("ring1_fill", 4000) == 200);
    CHECK(value_at("legit_accepted", 10000) == 1);
    CHECK(sig["core1_mode"].changes.size() <= 1); // never driven: stays at its initial value
}
