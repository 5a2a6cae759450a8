#include "backends/sim/hw/irq_controller.h"

#include "backends/sim/hw/spawn_method.h"
#include "backends/sim/machine/timebase.h"

namespace offsched::sim {

IrqController::IrqController(sc_core::sc_module_name name, uint32_t cpus, uint32_t irqs)
    : sc_module(name), targets_(cpus, nullptr), affinity_(irqs, ~0ull), delivered_(cpus, 0)
{
    for (uint32_t c = 0; c < cpus; ++c) {
        lanes_.push_back(std::make_unique<IpiLane>());
        spawn_method_on(lanes_.back()->ev, "ipi", [this, c] { ipi_arrive(c); });
    }
}

int IrqController::route(uint32_t irq) const
{
    const uint64_t mask = affinity_[irq];
    int first_online = -1;
    for (uint32_t c = 0; c < targets_.size(); ++c) {
        if (!targets_[c]) continue;
        if (first_online < 0) first_online = static_cast<int>(c);
        if (c < 64 && (mask >> c) & 1) return static_cast<int>(c);
    }
    return first_online;
}

void IrqController::raise(uint32_t irq)
{
    const int cpu = route(irq);
    if (cpu < 0) return;
    ++delivered_[cpu];
    targets_[cpu]->deliver({IrqKind::Nic, irq});
}

void IrqController::send_ipi(uint32_t cpu, uint32_t vector, uint64_t latency_ns, uint64_t sender_ps)
{
    if (cpu >= targets_.size() || !targets_[cpu]) return;
    IpiLane& l = *lanes_[cpu];
    for (uint32_t v : l.vectors)
        if (v == vector) return; // already pending: the APIC's IRR bit is set once
    l.vectors.push_back(vector);
    ++ipis_;
    l.ev.notify(Timebase::ps(sender_ps + latency_ns * 1000 - now_ps()));
}

void IrqController::ipi_arrive(uint32_t cpu)
{
    IpiLane& l = *lanes_[cpu];
    std::vector<uint32_t> v;
    v.swap(l.vectors);
    for (uint32_t vec : v) {
        ++delivered_[cpu];
        targets_[cpu]->deliver({IrqKind::Ipi, vec});
    }
}

} // namespace offsched::sim
