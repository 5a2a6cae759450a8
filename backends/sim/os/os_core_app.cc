// The OS core's user task as the application of the receive-livelock workloads: it reads
// datagrams from its socket (os.app_packet_cycles each) and, with os.rx_mode = busy_poll, also
// does their receive protocol work itself by polling the NIC ring, so what it cannot read stays
// at the NIC and is dropped there for free instead of after kernel work; with os.rx_mode = lrp
// it does the protocol work of what the interrupt demultiplexed to its channel (lazy receiver
// processing, Druschel & Banga, OSDI 1996), and a full channel discards before any of it.
#include "backends/sim/os/os_core.h"

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
    if (!channel_.empty()) { // lrp: the protocol work of what was demultiplexed to this task
        chunk(CpuMode::User, lrp_receive());
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

// LRP's interrupt (soft demux): up to os.irq_rx_limit frames off the ring, each put on the
// receiving task's channel, or discarded when the channel already holds os.app_queue frames.
// That early discard is what keeps overload from costing anything but this demux.
uint64_t OsCore::lrp_demux(uint32_t q)
{
    slots_.clear();
    const uint32_t n = env_.nic->take(q, os_.irq_rx_limit, slots_);
    for (Slot s : slots_) {
        const uint64_t room = os_.app_queue > channel_pkts_ ? os_.app_queue - channel_pkts_ : 0;
        const uint32_t keep = static_cast<uint32_t>(s.count < room ? s.count : room);
        if (const uint32_t lost = s.count - keep) {
            env_.ledger->drop(Drop::LrpChannelFull, lost);
            if (s.kind == PktKind::Flood) env_.ledger->fate(FloodFate::OsLrpChannelFull, lost);
        }
        if (keep) {
            s.count = keep;
            channel_.push_back(s);
            channel_pkts_ += keep;
        }
    }
    if (n && !sshd_.runnable) wake(Task::Sshd);
    return uint64_t{n} * os_.lrp_demux_cycles;
}

// The receiving task's protocol work on its channel (LRP): up to kAppBatch frames, in its own
// context and CPU time; datagrams then wait in the socket queue it reads next.
uint64_t OsCore::lrp_receive()
{
    const uint64_t t0 = now_ps();
    uint64_t cycles = 0;
    uint32_t taken = 0;
    while (taken < kAppBatch && !channel_.empty()) {
        Slot& f = channel_.front();
        const uint32_t k = f.count < kAppBatch - taken ? f.count : kAppBatch - taken;
        Slot part = f;
        part.count = k;
        cycles += env_.rx->process(part, false, id_, (t0 + env_.tb.cycles_to_ps(cycles)) / 1000);
        taken += k;
        channel_pkts_ -= k;
        if (k == f.count) {
            channel_.pop_front();
        } else {
            f.first += k; // the rest of a run (its arrival time stays the run's first)
            f.count -= k;
        }
    }
    st_.packets += taken;
    return cycles;
}

} // namespace offsched::sim
