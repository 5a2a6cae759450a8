// Min-heap of armed timers by deadline (ties by id, for determinism), with positions so a timer
// can be re-armed or cancelled in O(log n). Fixed capacity, no heap allocation.
#pragma once

#include "model/types.h"

namespace offsched::timer {

class TimerHeap {
public:
    static constexpr u32 kCapacity = 256;

    void init();
    // Inserts id, or moves it if already armed.
    void set(u32 id, u64 deadline);
    void remove(u32 id);
    bool empty() const { return size_ == 0; }
    u32 top() const { return heap_[0]; }
    u64 deadline(u32 id) const { return deadline_[id]; }
    bool armed(u32 id) const { return pos_[id] >= 0; }
    u32 size() const { return size_; }

private:
    bool less(u32 a, u32 b) const
    {
        return deadline_[heap_[a]] < deadline_[heap_[b]] ||
               (deadline_[heap_[a]] == deadline_[heap_[b]] && heap_[a] < heap_[b]);
    }
    void swap(u32 a, u32 b);
    void up(u32 i);
    void down(u32 i);

    u16 heap_[kCapacity];
    i32 pos_[kCapacity];
    u64 deadline_[kCapacity];
    u32 size_ = 0;
};

} // namespace offsched::timer
