// Interrupt routing as /proc/irq/N/smp_affinity sets it, plus inter-processor interrupts.
// A vector is delivered to the lowest online CPU of its affinity mask (physical destination
// mode, as the x86 vector allocator picks one target); a mask with no online CPU falls back to
// the first online CPU, as the kernel migrates IRQs off a CPU going offline.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>

#include "backends/sim/hw/nic.h"

namespace offsched::sim {

enum class IrqKind : uint8_t { Nic, Ipi, Tick, Hrtimer }; // Hrtimer: local APIC timer for hrtimers (os_rt_tasks.h)

struct IrqEvent {
    IrqKind kind;
    uint32_t id; // NIC queue for Nic, vector for Ipi
};

// A CPU that takes interrupts (an OS core).
class IrqTarget {
public:
    virtual void deliver(const IrqEvent& e) = 0;

protected:
    ~IrqTarget() = default;
};

class IrqController : public sc_core::sc_module, public IrqLine {
public:
    IrqController(sc_core::sc_module_name name, uint32_t cpus, uint32_t irqs);

    // cpu is online (runs the OS and takes interrupts) when it has a target.
    void attach(uint32_t cpu, IrqTarget* t) { targets_[cpu] = t; }
    void set_affinity(uint32_t irq, uint64_t cpu_mask) { affinity_[irq] = cpu_mask; }
    // Which CPU irq is delivered to now; -1 if no CPU is online.
    int route(uint32_t irq) const;

    void raise(uint32_t irq) override;
    // IPI to cpu `latency_ns` after the sender's time sender_ps (which may be ahead of SystemC
    // time: an offload core's batched step); IPIs of one vector to one cpu coalesce in flight.
    void send_ipi(uint32_t cpu, uint32_t vector, uint64_t latency_ns, uint64_t sender_ps = now_ps());

    uint64_t delivered(uint32_t cpu) const { return delivered_[cpu]; }
    uint64_t ipis_sent() const { return ipis_; }

private:
    struct IpiLane {
        sc_core::sc_event ev;
        std::vector<uint32_t> vectors; // in flight, in send order
    };
    void ipi_arrive(uint32_t cpu);

    std::vector<IrqTarget*> targets_;
    std::vector<uint64_t> affinity_;
    std::vector<uint64_t> delivered_;
    std::vector<std::unique_ptr<IpiLane>> lanes_;
    uint64_t ipis_ = 0;
};

} // namespace offsched::sim
