// A constant-rate packet stream as closed-form arithmetic: how many packets arrived by time t and
// when packet k arrives. This is what lets the NIC account a 14.88 Mpps flood without touching
// each packet: a ring refill is one multiplication.
#pragma once

#include <cstdint>

namespace offsched::sim {

class RateStream {
public:
    RateStream() = default;
    // rate in milli-packets per second (per-queue shares of a pps rate keep their fraction).
    RateStream(uint64_t rate_mpps, uint64_t start_ns, uint64_t stop_ns)
        : rate_(rate_mpps), start_(start_ns), stop_(stop_ns ? stop_ns : ~0ull),
          inv_(rate_mpps > 1 ? static_cast<uint64_t>((static_cast<unsigned __int128>(1) << 64) / rate_mpps) : 0)
    {
    }

    // Packets that arrived in [start, t].
    uint64_t arrived_by(uint64_t t_ns) const
    {
        if (rate_ == 0 || t_ns < start_) return 0;
        const uint64_t end = t_ns < stop_ ? t_ns : stop_;
        uint64_t prod;
        if (!__builtin_mul_overflow(end - start_, rate_, &prod)) return prod / kMilliPerNs; // 64-bit divide: fast
        return static_cast<uint64_t>(static_cast<unsigned __int128>(end - start_) * rate_ / kMilliPerNs);
    }
    // Arrival time of packet number k (0-based), or ~0 if the stream has stopped by then.
    uint64_t time_of(uint64_t k) const
    {
        if (rate_ == 0) return ~0ull;
        uint64_t num64;
        uint64_t t;
        if (!__builtin_mul_overflow(k + 1, kMilliPerNs, &num64) && num64 <= ~0ull - rate_) {
            t = start_ + ceil_div(num64);
        } else {
            const unsigned __int128 num = static_cast<unsigned __int128>(k + 1) * kMilliPerNs;
            t = start_ + static_cast<uint64_t>((num + rate_ - 1) / rate_);
        }
        return t <= stop_ ? t : ~0ull;
    }
    uint64_t rate_mpps() const { return rate_; }

private:
    // ceil(n / rate_) for n <= ~0 - rate_. A hardware divide is tens of cycles and runs on every
    // poll that finds new packets; a multiply by floor(2^64 / rate_) gives the quotient or one
    // less (n < 2^64), and one comparison corrects it: the result is exact.
    uint64_t ceil_div(uint64_t n) const
    {
        const uint64_t m = n + rate_ - 1;
        if (!inv_) return m / rate_;
        uint64_t q = static_cast<uint64_t>((static_cast<unsigned __int128>(m) * inv_) >> 64);
        if (m - q * rate_ >= rate_) ++q;
        return q;
    }

    static constexpr uint64_t kMilliPerNs = 1000ull * 1000000000ull; // milli-packets x ns per second
    uint64_t rate_ = 0;
    uint64_t start_ = 0;
    uint64_t stop_ = ~0ull;
    uint64_t inv_ = 0; // floor(2^64 / rate_), 0 when rate_ <= 1 (then ceil_div divides)
};

} // namespace offsched::sim
