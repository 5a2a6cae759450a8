#include "services/firewall/synproxy_cookie.h"

namespace offsched::firewall {

namespace {
constexpr u32 kMacMask = (1u << 29) - 1;
constexpr u32 kTsWscaleMask = 0xf;
constexpr u32 kTsSack = 1u << 4;
constexpr u32 kTsEcn = 1u << 5;
constexpr u32 kTsBits = 6;
constexpr u8 kMaxWscale = 14; // RFC 7323
} // namespace

void CookieJar::init(u64 secret, u32 khz)
{
    // Two halves of the master key from the one configured secret (domain-separated).
    const SipKey seed{secret, ~secret};
    master_.k0 = siphash24_2u64(seed, 0x6d61737465723000ull, 0);
    master_.k1 = siphash24_2u64(seed, 0x6d61737465723100ull, 0);
    slot_cycles_ = static_cast<u64>(khz) * 1000u * kCookieSlotSeconds;
    if (!slot_cycles_) slot_cycles_ = 1;
    slot_ = ~0ull;
}

SipKey CookieJar::derive(u64 slot) const
{
    return SipKey{siphash24_2u64(master_, slot, 0x6b30), siphash24_2u64(master_, slot, 0x6b31)};
}

// Keys change once per slot; between, this is one division and a compare.
void CookieJar::advance(u64 now_cycles)
{
    const u64 slot = now_cycles / slot_cycles_;
    if (slot == slot_) return;
    prev_ = slot == slot_ + 1 ? cur_ : derive(slot - 1);
    cur_ = derive(slot);
    slot_ = slot;
}

u32 CookieJar::mac29(const SipKey& k, const CookieTuple& t, u32 client_isn) const
{
    const u64 a = (static_cast<u64>(t.client_ip) << 32) | t.server_ip;
    const u64 b = (static_cast<u64>(t.client_port) << 48) | (static_cast<u64>(t.server_port) << 32) | client_isn;
    return static_cast<u32>(siphash24_2u64(k, a, b)) & kMacMask;
}

u32 CookieJar::make(const CookieTuple& t, u32 client_isn, u8 mss_index, u64 now_cycles)
{
    advance(now_cycles);
    const u32 idx = mss_index & 3u;
    const u32 parity = static_cast<u32>(slot_ & 1);
    // The MSS index is bound into the MAC (mixed into the ISN input), so it cannot be altered.
    return (parity << 31) | (idx << 29) | mac29(cur_, t, client_isn ^ (idx << 30));
}

bool CookieJar::check(const CookieTuple& t, u32 client_isn, u32 cookie, u64 now_cycles, u8* mss_index)
{
    advance(now_cycles);
    const u32 parity = cookie >> 31;
    const u32 idx = (cookie >> 29) & 3u;
    // The parity picks the one slot (current or previous) the cookie can come from.
    const SipKey& k = parity == static_cast<u32>(slot_ & 1) ? cur_ : prev_;
    if (parity != static_cast<u32>(slot_ & 1) && slot_ == 0) return false; // no slot before the first
    if ((cookie & kMacMask) != mac29(k, t, client_isn ^ (idx << 30))) return false;
    *mss_index = static_cast<u8>(idx);
    return true;
}

u32 ts_cookie_encode(u32 now_ms, const TsCookieOptions& o)
{
    u32 opts = o.wscale == 0xff ? kTsWscaleMask : (o.wscale > kMaxWscale ? kMaxWscale : o.wscale);
    if (o.sack) opts |= kTsSack;
    if (o.ecn) opts |= kTsEcn;
    u32 ts = ((now_ms >> kTsBits) << kTsBits) | opts;
    if (ts > now_ms) ts -= 1u << kTsBits; // as Linux: the client's view of our clock never jumps back
    return ts;
}

TsCookieOptions ts_cookie_decode(u32 tsecr)
{
    TsCookieOptions o;
    const u8 ws = static_cast<u8>(tsecr & kTsWscaleMask);
    o.wscale = ws == kTsWscaleMask ? 0xff : (ws > kMaxWscale ? kMaxWscale : ws);
    o.sack = (tsecr & kTsSack) != 0;
    o.ecn = (tsecr & kTsEcn) != 0;
    return o;
}

} // namespace offsched::firewall
