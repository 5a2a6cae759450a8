// A packet stream with a chosen arrival process, answering the two questions the NIC asks: how
// many packets arrived by time t, and when packet k arrived. Random processes keep that random
// access (a ring holds packets far behind the newest, after drops) by building the stream in
// chunks that are independent given their index: chunk c's randomness is keyed by (key, c), so
// any chunk can be rebuilt from its number, and only the two most recently used are kept.
//
//  - constant: packet k at (k + 1) / rate (RateStream, closed form).
//  - poisson: each chunk of kChunk packets spans exactly kChunk / rate, and within it the packets
//    are placed as a Poisson process given its count places them (sorted uniform positions),
//    with at least one frame's wire time between two: below the chunk's span the counts vary
//    as Poisson counts do (variance n (1 - n / kChunk)); above it the rate is exact. At the
//    wire's rate the spacing leaves no room and the stream is constant, as on a real link.
//  - on_off: bursts of `burst` packets `burst_gap_ps` apart, one per period burst / rate, each
//    at a random offset within its period.
#pragma once

#include <cstdint>
#include <vector>

#include "backends/sim/traffic/rate_stream.h"

namespace offsched::sim {

enum class Arrivals : uint32_t { Constant, Poisson, OnOff };
inline constexpr const char* kArrivalNames[] = {"constant", "poisson", "on_off", nullptr};
// keyed_random streams 0x200 + 2q (flood) and 0x200 + 2q + 1 (background) of queue q: the frame
// codec's are 0x100 + q, so a packet's timing and its contents are independent draws.
inline constexpr uint64_t kArrivalStreamKey = 0x200;

struct ArrivalSpec {
    Arrivals process = Arrivals::Constant;
    uint64_t rate_mpps = 0;     // milli-packets per second
    uint64_t start_ns = 0;
    uint64_t stop_ns = 0;       // 0: never stops
    uint64_t min_gap_ps = 0;    // poisson: the wire time of one frame
    uint32_t burst = 1;         // on_off: packets per burst
    uint64_t burst_gap_ps = 0;  // on_off: spacing inside a burst (capped so a burst fits its period)
    uint64_t key = 0;           // keyed_random key: which randomness this stream uses
};

class ArrivalStream {
public:
    ArrivalStream() = default;
    explicit ArrivalStream(const ArrivalSpec& spec);
    static ArrivalStream constant(uint64_t rate_mpps, uint64_t start_ns, uint64_t stop_ns)
    {
        return ArrivalStream(ArrivalSpec{Arrivals::Constant, rate_mpps, start_ns, stop_ns});
    }

    // Packets that arrived in [start, t].
    uint64_t arrived_by(uint64_t t_ns)
    {
        if (process_ == Arrivals::Constant) return constant_.arrived_by(t_ns);
        return random_arrived_by(t_ns);
    }
    // Arrival time of packet number k (0-based), or ~0 if the stream has stopped by then.
    uint64_t time_of(uint64_t k)
    {
        if (process_ == Arrivals::Constant) return constant_.time_of(k);
        return random_time_of(k);
    }
    uint64_t rate_mpps() const { return rate_; }

    static constexpr uint32_t kChunk = 1024; // packets per poisson chunk

private:
    struct Chunk {
        uint64_t index = ~0ull;
        uint64_t begin_ps = 0, end_ps = 0; // the span [begin, end) relative to the start
        std::vector<uint64_t> at_ps;       // poisson: each packet's time relative to the start
        uint64_t offset_ps = 0, gap_ps = 0; // on_off: the burst's first packet and spacing
        uint64_t last_use = 0;
    };

    uint64_t random_arrived_by(uint64_t t_ns);
    uint64_t random_time_of(uint64_t k);
    uint64_t per_chunk() const { return process_ == Arrivals::Poisson ? kChunk : burst_; }
    uint64_t chunk_begin_ps(uint64_t c) const;
    uint64_t chunk_of_ps(uint64_t rel_ps) const;
    Chunk& chunk(uint64_t c);
    uint64_t count_in(const Chunk& ch, uint64_t rel_ps, uint64_t from) const;
    void build(Chunk& ch, uint64_t c) const;
    uint64_t to_ns(uint64_t rel_ps) const;

    Arrivals process_ = Arrivals::Constant;
    RateStream constant_;
    uint64_t rate_ = 0, start_ns_ = 0, stop_ns_ = ~0ull;
    uint64_t min_gap_ps_ = 0, burst_gap_ps_ = 0, key_ = 0;
    uint32_t burst_ = 1;
    // Built chunks, least recently used replaced: the newest arrivals, the next one, the ring's
    // head (taken frames) and the frames being delivered are mostly all in these.
    Chunk cache_[4];
    uint64_t uses_ = 0;
    // Where the last arrived_by ended: its chunk (a cache_ slot never replaced while it is the
    // cursor), how many of its packets had arrived, and the time asked. The NIC asks forward in
    // small steps, so the next answer is a short scan from here.
    int cursor_ = -1;
    uint64_t cursor_count_ = 0, cursor_rel_ = 0;
    uint64_t last_chunk_ = 0; // chunks after this begin beyond kMaxRelNs: nothing arrives there
};

} // namespace offsched::sim
