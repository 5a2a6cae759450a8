// The doorbell protocol between a ring's producer (a service core) and its consumer (an online
// cpu's NAPI poll): a doorbell (an IPI, or whatever wakes the consumer) is only needed while the
// consumer sleeps. The consumer "arms" the ring before it stops polling; the producer rings only
// if it finds the ring armed, and whoever takes the armed flag owns the wake-up, so there is
// exactly one per sleep, as NAPI's napi_complete_done/napi_schedule or virtio's event suppression.
//
// The race both sides close (a Dekker pattern, hence full fences, not acquire/release only):
//   producer: publish frame (release) ; fence ; armed?  -> claim (xchg) -> ring
//   consumer: ring empty -> armed = 1 ; fence ; ring empty again? -> sleep
//                                                 else claim (xchg) -> keep polling
// Without the fences the producer could read armed == 0 (old) while the consumer reads the ring
// as empty (old): the frame would sit unsignalled until some later one. With them at least one
// side sees the other's write; the xchg makes sure only one of them acts on it.
#pragma once

#include "model/atomic.h"

namespace offsched {

struct DoorbellArm {
    u32 armed = 1; // 1: the consumer sleeps and needs a doorbell; starts armed (nobody polls yet)

    void init() { store_release(&armed, 1u); }

    // Producer, after publishing frames. True: the consumer slept and this caller claimed its
    // wake-up (it must ring now). False: the consumer is polling and will see the frames.
    bool producer_claim()
    {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (!load_relaxed(&armed)) return false; // cheap path: no write while the consumer polls
        return __atomic_exchange_n(&armed, 0u, __ATOMIC_ACQ_REL) == 1u;
    }

    // Consumer, after finding its ring empty. `empty()` re-reads the ring. True: frames raced in
    // and the consumer claimed them itself (poll again; no doorbell will come). False: it may
    // sleep: either the ring is empty or the producer claimed the wake-up and rings it.
    template <typename Empty> bool consumer_rearm(Empty&& empty)
    {
        store_relaxed(&armed, 1u);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (empty()) return false;
        return __atomic_exchange_n(&armed, 0u, __ATOMIC_ACQ_REL) == 1u;
    }
};

} // namespace offsched
