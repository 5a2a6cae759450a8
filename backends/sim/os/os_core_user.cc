// The OS core's user task running work for companions (companions/rtop_companion: the stats
// publisher's kworker, a user-space stats agent). Both are SCHED_OTHER tasks in Linux; here they
// share the user task's CFS entity with sshd, so under a flood they wait for ksoftirqd exactly as
// an ssh accept does (one entity instead of two: a woken task gets the CPU at the same point).
#include "backends/sim/os/os_core.h"

namespace offsched::sim {

void OsCore::enqueue_user_work(uint64_t cycles, std::function<void(uint64_t)> done)
{
    user_work_.emplace_back(cycles ? cycles : 1, std::move(done));
    if (!sshd_.runnable) wake(Task::Sshd);
    irq_ev_.notify(sc_core::SC_ZERO_TIME); // as a reschedule IPI when it comes from another core
}

bool OsCore::user_begin()
{
    if (user_work_.empty()) return false;
    sshd_remaining_ = user_work_.front().first;
    user_done_ = std::move(user_work_.front().second);
    user_work_.pop_front();
    return true;
}

bool OsCore::user_end(uint64_t now)
{
    if (!user_done_) return false;
    auto done = std::move(user_done_);
    user_done_ = nullptr;
    done(now / 1000);
    return true;
}

} // namespace offsched::sim
