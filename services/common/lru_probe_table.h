// Fixed-size open-addressing table with a bounded probe window and LRU eviction inside that
// window: the shared mechanics of the firewall's per-source buckets and validated-flow table.
// A key's home slot comes from the caller's hash; its entry lives in one of the Probe slots that
// follow. When all Probe slots are taken, the entry the caller reports as oldest is reused.
// Entry must have a `bool used` member. No heap; Slots must be a power of two.
#pragma once

#include "model/types.h"

namespace offsched {

template <typename Entry, u32 Slots, u32 Probe> class LruProbeTable {
    static_assert(Slots >= Probe && (Slots & (Slots - 1)) == 0, "Slots: a power of two >= Probe");

public:
    static constexpr u32 kSlots = Slots;
    static constexpr u32 kProbe = Probe;

    void clear()
    {
        for (Entry& e : slots_) e.used = false;
    }
    // The used entry of the window at `home` for which match(entry) holds, or nullptr.
    template <typename Match> Entry* find(u32 home, Match&& match)
    {
        for (u32 i = 0; i < Probe; ++i) {
            Entry& e = slots_[(home + i) & (Slots - 1)];
            if (e.used && match(e)) return &e;
        }
        return nullptr;
    }
    template <typename Match> const Entry* find(u32 home, Match&& match) const
    {
        return const_cast<LruProbeTable*>(this)->find(home, match);
    }
    // A slot for a new key: the window's first free slot, else the entry with the smallest
    // age(entry) (*evicted = true). The caller fills it and sets used.
    template <typename Age> Entry& claim(u32 home, Age&& age, bool* evicted)
    {
        Entry* oldest = nullptr;
        for (u32 i = 0; i < Probe; ++i) {
            Entry& e = slots_[(home + i) & (Slots - 1)];
            if (!e.used) {
                *evicted = false;
                return e;
            }
            if (!oldest || age(e) < age(*oldest)) oldest = &e;
        }
        *evicted = true;
        return *oldest;
    }
    u32 occupied() const
    {
        u32 n = 0;
        for (const Entry& e : slots_) n += e.used;
        return n;
    }

private:
    Entry slots_[Slots];
};

} // namespace offsched
