#include "tests/trace/synthetic_run.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

namespace offsched::test {

using sim::CpuMode;
using sim::trace::FlowStep;

sim::trace::TraceLayout synthetic_layout(const SyntheticRun& run, const char* design, uint32_t index)
{
    sim::trace::TraceLayout l;
    l.design = design;
    l.design_index = index;
    for (uint32_t c = 0; c < run.cores; ++c) l.core_roles.push_back(c + 1 == run.cores ? "service:firewall" : "os");
    l.nic_queues = run.queues;
    l.duration_ns = run.end_ns;
    return l;
}

void drive(const SyntheticRun& run, sim::trace::TraceSink* sink)
{
    // Build every event first, then deliver them in time order, as SystemC would.
    enum Kind { Mode, Ring, Irq, Flow };
    struct Ev {
        uint64_t t;
        Kind kind;
        uint32_t a; // core / queue / line
        uint64_t b; // mode / fill / asserted / conn
        uint32_t c; // step / core
    };
    std::vector<Ev> ev;
    // Core c: every 50 us a hardirq (2 us), softirq (8 us), then sshd or ksoftirqd or idle.
    for (uint32_t c = 0; c < run.cores; ++c) {
        const bool service = c + 1 == run.cores;
        for (uint64_t t = 0; t < run.end_ns; t += 50'000) {
            if (service) {
                ev.push_back({t, Mode, c, uint64_t(CpuMode::Service), 0});
                ev.push_back({t + 40'000, Mode, c, uint64_t(CpuMode::Idle), 0});
                continue;
            }
            ev.push_back({t + 1'000 * c, Mode, c, uint64_t(CpuMode::Hardirq), 0});
            ev.push_back({t + 1'000 * c + 2'000, Mode, c, uint64_t(CpuMode::Softirq), 0});
            const uint64_t rest = (t / 50'000) % 3;
            ev.push_back({t + 1'000 * c + 10'000, Mode, c,
                          uint64_t(rest == 0 ? CpuMode::User : rest == 1 ? CpuMode::Ksoftirqd : CpuMode::Idle), 0});
        }
    }
    for (uint32_t q = 0; q < run.queues; ++q)
        for (uint64_t t = 0; t < run.end_ns; t += 25'000) {
            ev.push_back({t + 500 + q, Ring, q, (t / 25'000) % 7 * 16, 0});
            ev.push_back({t + 700, Irq, q, (t / 25'000) % 2, 0});
        }
    // Connection k starts at 150k us; its steps land on OS core k % (cores-1) inside softirq
    // slices; every third is never answered (gives up), the last ones are still open at the end.
    for (uint64_t k = 0; k < run.connections; ++k) {
        const uint64_t t0 = 150'000 * k + 3'000;
        const uint32_t core = static_cast<uint32_t>(k % (run.cores - 1));
        const uint64_t slot = (t0 / 50'000 + 1) * 50'000 + 1'000 * core; // next hardirq on that core
        ev.push_back({t0, Flow, 0, k, uint32_t(FlowStep::Connect)});
        if (k % 3 == 2) {
            ev.push_back({t0 + 600'000, Flow, 0, k, uint32_t(FlowStep::GiveUp)});
            continue;
        }
        ev.push_back({slot + 3'000, Flow, core, k, uint32_t(FlowStep::SynIn)});
        ev.push_back({slot + 3'500, Flow, core, k, uint32_t(FlowStep::SynAckOut)});
        ev.push_back({slot + 50'000 + 4'000, Flow, core, k, uint32_t(FlowStep::AckIn)});
        ev.push_back({slot + 150'000 + 12'000, Flow, core, k, uint32_t(FlowStep::Accept)}); // in sshd (rest == 0)
    }
    std::stable_sort(ev.begin(), ev.end(), [](const Ev& x, const Ev& y) { return x.t < y.t; });
    for (const Ev& e : ev) {
        if (e.t >= run.end_ns) break;
        switch (e.kind) {
        case Mode: sink->core_mode(e.t, e.a, static_cast<CpuMode>(e.b), e.b == uint64_t(CpuMode::User) ? "sshd" : nullptr); break;
        case Ring: sink->ring_fill(e.t, e.a, static_cast<uint32_t>(e.b)); break;
        case Irq: sink->irq_line(e.t, e.a, e.b != 0); break;
        case Flow:
            sink->flow(e.t, e.b, static_cast<FlowStep>(e.c), static_cast<FlowStep>(e.c) == FlowStep::Connect ||
                                                                       static_cast<FlowStep>(e.c) == FlowStep::GiveUp
                                                                   ? sim::trace::kNoCore
                                                                   : e.a);
            break;
        }
    }
    sink->finish(run.end_ns);
}

} // namespace offsched::test
