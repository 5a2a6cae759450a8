#include "services/timer/timer_heap.h"

namespace offsched::timer {

void TimerHeap::init()
{
    size_ = 0;
    for (u32 i = 0; i < kCapacity; ++i) pos_[i] = -1;
}

void TimerHeap::swap(u32 a, u32 b)
{
    const u16 t = heap_[a];
    heap_[a] = heap_[b];
    heap_[b] = t;
    pos_[heap_[a]] = static_cast<i32>(a);
    pos_[heap_[b]] = static_cast<i32>(b);
}

void TimerHeap::up(u32 i)
{
    while (i > 0 && less(i, (i - 1) / 2)) {
        swap(i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

void TimerHeap::down(u32 i)
{
    for (;;) {
        u32 m = i;
        const u32 l = 2 * i + 1, r = 2 * i + 2;
        if (l < size_ && less(l, m)) m = l;
        if (r < size_ && less(r, m)) m = r;
        if (m == i) return;
        swap(i, m);
        i = m;
    }
}

void TimerHeap::set(u32 id, u64 deadline)
{
    deadline_[id] = deadline;
    if (pos_[id] < 0) {
        heap_[size_] = static_cast<u16>(id);
        pos_[id] = static_cast<i32>(size_);
        ++size_;
    }
    up(static_cast<u32>(pos_[id]));
    down(static_cast<u32>(pos_[id]));
}

void TimerHeap::remove(u32 id)
{
    if (pos_[id] < 0) return;
    const u32 i = static_cast<u32>(pos_[id]);
    --size_;
    if (i != size_) {
        swap(i, size_);
        pos_[id] = -1;
        up(i);
        down(i);
    }
    pos_[id] = -1;
}

} // namespace offsched::timer
