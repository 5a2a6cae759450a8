#include "model/os_stats.h"

namespace offsched {

namespace {
// Word-wise relaxed copy: the seqlock tolerates concurrent writes only if every access is atomic.
void copy_words(u64* dst, const u64* src, u32 words, bool to_shared)
{
    for (u32 i = 0; i < words; ++i) {
        if (to_shared) store_relaxed(&dst[i], src[i]);
        else dst[i] = load_relaxed(&src[i]);
    }
}
static_assert(sizeof(OsStats) % 8 == 0, "OsStats is copied in 64-bit words");
} // namespace

void os_stats_publish(OsStatsPage* s, const OsStats& v)
{
    os_stats_write_begin(s);
    copy_words(reinterpret_cast<u64*>(&s->data), reinterpret_cast<const u64*>(&v), sizeof(OsStats) / 8, true);
    os_stats_write_end(s);
}

bool os_stats_read(const OsStatsPage* s, OsStats* out, u32 max_tries)
{
    for (u32 t = 0; t < max_tries; ++t) {
        const u32 before = load_acquire(&s->seq);
        if (before & 1) continue;
        copy_words(reinterpret_cast<u64*>(out), reinterpret_cast<const u64*>(&s->data), sizeof(OsStats) / 8, false);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (load_relaxed(&s->seq) == before) {
            if (out->cpu_count > kOsStatsMaxCpus) out->cpu_count = kOsStatsMaxCpus; // never trust the writer's count
            return true;
        }
    }
    return false;
}

} // namespace offsched
