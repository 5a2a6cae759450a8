// The OS core's user task as the application of the receive-livelock workloads: it reads
// datagrams from its socket (os.app_packet_cycles each) and, with os.rx_mode = busy_poll, also
// does their receive protocol work itself by polling the NIC ring, so what it cannot read stays
// at the NIC and is dropped there for free (LRP's early discard) instead of after kernel work.
#include "backends/sim/os_core.h"

namespace offsched::sim {

namespace {
constexpr uint32_t kAppBatch = 16; // datagrams per uninterrupted read loop (recvmmsg-like)
} // namespace

void OsCore::app_ready()
{
    if (!sshd_.runnable) wake(Task::Sshd);
    irq_ev_.notify(sc_core::SC_ZERO_TIME); // as a reschedule IPI when it comes from another core
}

// Starts the user task's next piece of application work: a batch of datagrams to read (sets
// sshd_remaining_, run interruptibly by dispatch) or one busy poll of a ring (a chunk). False
// when there is nothing to do.
bool OsCore::app_begin()
{
    AppSockets& app = env_.rx->app();
    if (const uint32_t n = app.take(id_, kAppBatch)) {
        app_batch_ = n;
        sshd_remaining_ = static_cast<uint64_t>(n) * app.packet_cycles();
        return true;
    }
    if (busy_q_.empty()) return false;
    const uint32_t q = busy_q_.front();
    busy_q_.pop_front();
    uint32_t work = 0;
    const uint64_t cycles = poll(q, os_.napi_budget, &work);
    if (work >= os_.napi_budget) busy_q_.push_back(q);  // more waiting: poll again after reading
    else if (q != kHostNapi) completions_.push_back(q);  // dry: re-enable the vector
    else if (env_.host_ring->rearm()) busy_q_.push_back(q); // dry: armed for the next doorbell, unless frames raced in
    chunk(CpuMode::User, cycles);
    return true;
}

} // namespace offsched::sim
