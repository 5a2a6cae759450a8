// Bounded multi-producer/single-consumer ring (Vyukov's bounded queue with per-cell sequence
// numbers, single consumer): clients on several online cpus post requests, the service core
// drains them. Producers claim a cell with one CAS; a producer stalled between claim and
// publish delays only the consumer's view of later cells, never corrupts them. Fixed layout,
// no pointers; N a power of two.
#pragma once

#include "model/atomic.h"

namespace offsched {

template <typename T, u32 N> struct MpscRing {
    static_assert(N >= 2 && (N & (N - 1)) == 0, "capacity must be a power of two");

    // Before either side uses it (not concurrently with them).
    void init()
    {
        for (u32 i = 0; i < N; ++i) store_relaxed(&cells_[i].seq, i);
        store_relaxed(&enqueue_, 0u);
        store_relaxed(&dequeue_, 0u);
    }
    // Any producer. False when full.
    bool push(const T& v)
    {
        u32 pos = load_relaxed(&enqueue_);
        for (;;) {
            Cell& c = cells_[pos & (N - 1)];
            const i32 diff = static_cast<i32>(load_acquire(&c.seq) - pos);
            if (diff == 0) {
                if (__atomic_compare_exchange_n(&enqueue_, &pos, pos + 1, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
                    c.value = v;
                    store_release(&c.seq, pos + 1);
                    return true;
                }
                // pos was reloaded by the failed CAS
            } else if (diff < 0) {
                return false; // the consumer has not freed this cell yet: full
            } else {
                pos = load_relaxed(&enqueue_);
            }
        }
    }
    // The single consumer. False when empty (or the next cell is claimed but not yet published).
    bool pop(T* out)
    {
        const u32 pos = load_relaxed(&dequeue_);
        Cell& c = cells_[pos & (N - 1)];
        if (static_cast<i32>(load_acquire(&c.seq) - (pos + 1)) < 0) return false;
        *out = c.value;
        store_release(&c.seq, pos + N);
        store_relaxed(&dequeue_, pos + 1);
        return true;
    }
    static constexpr u32 capacity() { return N; }

private:
    struct Cell {
        u32 seq;
        T value;
    };
    alignas(64) u32 enqueue_ = 0; // shared by producers (CAS)
    alignas(64) u32 dequeue_ = 0; // consumer only
    alignas(64) Cell cells_[N];
};

} // namespace offsched
