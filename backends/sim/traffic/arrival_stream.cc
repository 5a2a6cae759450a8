#include "backends/sim/traffic/arrival_stream.h"

#include "backends/sim/traffic/exp_sample.h"
#include "backends/sim/machine/rng.h"

namespace offsched::sim {

namespace {
using u128 = unsigned __int128;
constexpr uint64_t kPsMilli = 1000000000000000ull; // ps per second x milli-packets per packet
// Offsets beyond this (11.6 days) are clamped: far past any run, and keeps ps in 64 bits.
constexpr uint64_t kMaxRelNs = 1000000000000000ull;
} // namespace

ArrivalStream::ArrivalStream(const ArrivalSpec& s)
    : process_(s.process), constant_(s.rate_mpps, s.start_ns, s.stop_ns), rate_(s.rate_mpps), start_ns_(s.start_ns),
      stop_ns_(s.stop_ns ? s.stop_ns : ~0ull), min_gap_ps_(s.min_gap_ps), burst_gap_ps_(s.burst_gap_ps), key_(s.key),
      burst_(s.burst ? s.burst : 1)
{
    // Poisson within 0.1 % of the wire's rate (14.88 Mpps of 64-byte frames on 10 Gb/s) has no
    // room to vary, under a picosecond per frame: the closed form is the same stream, faster.
    if (process_ == Arrivals::Poisson && static_cast<u128>(min_gap_ps_) * rate_ * 1001 >= static_cast<u128>(kPsMilli) * 1000)
        process_ = Arrivals::Constant;
    if (rate_) last_chunk_ = static_cast<uint64_t>(static_cast<u128>(kMaxRelNs) * 1000 * rate_ / (static_cast<u128>(per_chunk()) * kPsMilli));
}

// Chunk c spans [begin(c), begin(c + 1)): exactly per_chunk() packets at the mean rate, without
// drift however many chunks (one exact product per boundary).
uint64_t ArrivalStream::chunk_begin_ps(uint64_t c) const
{
    return static_cast<uint64_t>(static_cast<u128>(c) * per_chunk() * kPsMilli / rate_);
}

uint64_t ArrivalStream::chunk_of_ps(uint64_t rel_ps) const
{
    uint64_t c = static_cast<uint64_t>(static_cast<u128>(rel_ps) * rate_ / (static_cast<u128>(per_chunk()) * kPsMilli));
    while (chunk_begin_ps(c + 1) <= rel_ps) ++c; // the floor above can be one short
    return c;
}

void ArrivalStream::build(Chunk& ch, uint64_t c) const
{
    ch.index = c;
    ch.begin_ps = chunk_begin_ps(c);
    ch.end_ps = chunk_begin_ps(c + 1);
    const uint64_t span = ch.end_ps - ch.begin_ps, n = per_chunk();
    const uint64_t key = keyed_random_key(key_, c);
    if (process_ == Arrivals::OnOff) {
        ch.gap_ps = burst_gap_ps_ < span / n ? burst_gap_ps_ : span / n;
        if (ch.gap_ps == 0) ch.gap_ps = 1;
        const uint64_t room = span > (n - 1) * ch.gap_ps ? span - (n - 1) * ch.gap_ps : 1;
        ch.offset_ps = static_cast<uint64_t>((static_cast<u128>(splitmix64(key)) * room) >> 64);
        return;
    }
    // Poisson given the count: n sorted uniform positions are the normalised partial sums of
    // n + 1 exponential spacings; the wire's minimum gap is laid under them.
    ch.at_ps.resize(n);
    const uint64_t gap = min_gap_ps_ < span / n ? min_gap_ps_ : span / n;
    const uint64_t slack = span - n * gap;
    if (slack == 0) {
        for (uint64_t i = 0; i < n; ++i) ch.at_ps[i] = ch.begin_ps + i * gap;
        return;
    }
    // The spacings' common factor (ln 2) cancels in the ratio: -log2 suffices.
    uint64_t sum = 0;
    for (uint64_t i = 0; i < n; ++i) ch.at_ps[i] = sum += neg_log2_q32(splitmix64(key + i));
    const uint64_t total = sum + neg_log2_q32(splitmix64(key + n)); // > 2^32 in practice: 1025 spacings
    const u128 wide = (static_cast<u128>(slack) << 32) / total;        // slack / total in Q32
    const uint64_t scale = wide > ~0ull ? ~0ull : static_cast<uint64_t>(wide);
    for (uint64_t i = 0; i < n; ++i)
        ch.at_ps[i] = ch.begin_ps + i * gap + static_cast<uint64_t>((static_cast<u128>(ch.at_ps[i]) * scale) >> 32);
}

ArrivalStream::Chunk& ArrivalStream::chunk(uint64_t c)
{
    for (Chunk& ch : cache_) {
        if (ch.index == c) {
            ch.last_use = ++uses_;
            return ch;
        }
    }
    Chunk* victim = nullptr;
    for (Chunk& ch : cache_)
        if (&ch - cache_ != cursor_ && (!victim || ch.last_use < victim->last_use)) victim = &ch;
    build(*victim, c);
    victim->last_use = ++uses_;
    return *victim;
}

// How many of ch's packets arrived by rel_ps, knowing at least `from` had.
uint64_t ArrivalStream::count_in(const Chunk& ch, uint64_t rel_ps, uint64_t from) const
{
    const uint64_t n = per_chunk();
    if (process_ == Arrivals::OnOff) {
        const uint64_t d = rel_ps - ch.begin_ps;
        const uint64_t k = d < ch.offset_ps ? 0 : (d - ch.offset_ps) / ch.gap_ps + 1;
        return k < n ? k : n;
    }
    uint64_t i = from;
    if (i + 16 < n && ch.at_ps[i + 16] <= rel_ps) { // far ahead: bisect the rest
        uint64_t lo = i + 17, hi = n;
        while (lo < hi) {
            const uint64_t mid = (lo + hi) / 2;
            if (ch.at_ps[mid] <= rel_ps) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
    while (i < n && ch.at_ps[i] <= rel_ps) ++i;
    return i;
}

uint64_t ArrivalStream::to_ns(uint64_t rel_ps) const { return start_ns_ + (rel_ps + 999) / 1000; }

uint64_t ArrivalStream::random_arrived_by(uint64_t t_ns)
{
    if (rate_ == 0 || t_ns < start_ns_) return 0;
    uint64_t rel_ns = (t_ns < stop_ns_ ? t_ns : stop_ns_) - start_ns_;
    if (rel_ns > kMaxRelNs) rel_ns = kMaxRelNs;
    const uint64_t rel = rel_ns * 1000; // a packet at p ps arrives at ceil(p / 1000) ns
    uint64_t from = 0;
    const Chunk* cur = cursor_ >= 0 ? &cache_[cursor_] : nullptr;
    if (cur && rel >= cursor_rel_ && rel < cur->end_ps) {
        from = cursor_count_; // forward within the cursor's chunk: the common poll
    } else {
        const uint64_t c = cur && rel >= cur->end_ps && rel < chunk_begin_ps(cur->index + 2) ? cur->index + 1 : chunk_of_ps(rel);
        cursor_ = -1; // the old cursor's chunk may be replaced now
        cur = &chunk(c);
        cursor_ = static_cast<int>(cur - cache_);
    }
    cursor_count_ = count_in(*cur, rel, from);
    cursor_rel_ = rel;
    return cur->index * per_chunk() + cursor_count_;
}

uint64_t ArrivalStream::random_time_of(uint64_t k)
{
    if (rate_ == 0) return ~0ull;
    const uint64_t n = per_chunk(), c = k / n, i = k % n;
    if (c > last_chunk_) return ~0ull; // beyond any run
    const Chunk& ch = chunk(c);
    const uint64_t p = process_ == Arrivals::OnOff ? ch.begin_ps + ch.offset_ps + i * ch.gap_ps : ch.at_ps[i];
    const uint64_t t = to_ns(p);
    return t <= stop_ns_ ? t : ~0ull;
}

} // namespace offsched::sim
