#include "backends/sim/trace/run_progress.h"

#include <atomic>

#include <sys/mman.h>

#include <systemc>

namespace offsched::sim::trace {

namespace {
std::atomic<uint64_t>* g_slots = nullptr; // MAP_SHARED: the same page in parent and children
size_t g_count = 0;
} // namespace

bool progress_share_open(size_t designs)
{
    progress_share_close();
    void* p = mmap(nullptr, designs * sizeof(std::atomic<uint64_t>), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return false;
    g_slots = static_cast<std::atomic<uint64_t>*>(p); // anonymous pages are zero: every counter starts at 0
    g_count = designs;
    return true;
}

void progress_share_close()
{
    if (g_slots) munmap(g_slots, g_count * sizeof(std::atomic<uint64_t>));
    g_slots = nullptr;
    g_count = 0;
}

uint64_t progress_reached_ns(size_t design)
{
    return g_slots && design < g_count ? g_slots[design].load(std::memory_order_relaxed) : 0;
}

void sc_start_publishing(size_t design, uint64_t duration_ns)
{
    const auto ns = [](uint64_t v) { return sc_core::sc_time::from_value(v * 1000ull); }; // 1 ps resolution
    if (!g_slots || design >= g_count) {
        sc_core::sc_start(ns(duration_ns));
        return;
    }
    constexpr uint64_t kSlices = 200;
    uint64_t done = 0;
    for (uint64_t i = 1; i <= kSlices; ++i) {
        const uint64_t until = duration_ns * i / kSlices;
        if (until > done) sc_core::sc_start(ns(until - done));
        done = until;
        g_slots[design].store(done, std::memory_order_relaxed);
    }
}

} // namespace offsched::sim::trace
