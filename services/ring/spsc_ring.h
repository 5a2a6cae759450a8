// Bounded single-producer/single-consumer ring for shared memory between a service core and
// an online cpu. Plain memory and acquire/release only (no locks, no IPIs: the service core may
// be outside Linux). Fixed layout, no pointers, so it can live in any memory both sides map.
// Indices run freely (u32 wrap-around); N must be a power of two.
#pragma once

#include "model/atomic.h"

namespace offsched {

template <typename T, u32 N> struct SpscRing {
    static_assert(N >= 2 && (N & (N - 1)) == 0, "capacity must be a power of two");

    void init()
    {
        store_relaxed(&head_, 0u);
        store_relaxed(&tail_, 0u);
    }
    // Producer side. False when full.
    bool push(const T& v)
    {
        const u32 h = load_relaxed(&head_);
        if (h - load_acquire(&tail_) == N) return false;
        slots_[h & (N - 1)] = v;
        store_release(&head_, h + 1);
        return true;
    }
    // Consumer side. False when empty.
    bool pop(T* out)
    {
        const u32 t = load_relaxed(&tail_);
        if (load_acquire(&head_) == t) return false;
        *out = slots_[t & (N - 1)];
        store_release(&tail_, t + 1);
        return true;
    }
    // Either side; a snapshot.
    u32 size() const { return load_acquire(&head_) - load_acquire(&tail_); }
    static constexpr u32 capacity() { return N; }

private:
    alignas(64) u32 head_ = 0; // written by the producer only
    alignas(64) u32 tail_ = 0; // written by the consumer only
    alignas(64) T slots_[N];
};

} // namespace offsched
