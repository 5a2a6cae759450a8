// Round-robin polling of the NIC queues a service owns: rounds over all queues, a burst of up to
// `burst` frames each, until `budget` frames were taken or a whole round found nothing. The
// starting queue rotates every call so no queue is favoured. on_burst(queue, frames, n) must
// finish with the frames before returning: they are valid only until the next rx_burst.
#pragma once

#include "model/service.h"

namespace offsched {

template <typename OnBurst>
u32 poll_queues(const ServiceEnv& env, u32* rr, u32 budget, Frame* buf, u32 burst, OnBurst&& on_burst)
{
    const u32 nq = env.queue_count;
    u32 taken = 0;
    while (nq && taken < budget) {
        u32 round = 0;
        for (u32 i = 0; i < nq && taken < budget; ++i) {
            const u32 q = (*rr + i) % nq;
            const u32 left = budget - taken;
            const u32 n = env.queues[q]->rx_burst(buf, left < burst ? left : burst);
            if (!n) continue;
            on_burst(q, buf, n);
            taken += n;
            round += n;
        }
        if (!round) break;
    }
    if (nq) *rr = (*rr + 1) % nq;
    return taken;
}

} // namespace offsched
