// SYN cookies of the SYN proxy: the scheme of Linux's net/ipv4/syncookies.c with one keyed hash
// per cookie and keys that rotate with time.
//
//   cookie (the SYN-ACK's ISN) = slot parity (1 bit) | MSS index (2 bits) | MAC (29 bits)
//   MAC = SipHash-2-4 under the slot's key of (client address, server address, ports, client ISN)
//
// Time is cut into 64 s slots. Each slot has its own key, derived from the deployment secret with
// SipHash, so keys rotate every slot and a cookie proves its slot; a cookie is accepted in its own
// slot and the next one (Linux's MAX_SYNCOOKIE_AGE of 2: a cookie lives 64 to 128 s). The MSS
// index points into Linux's msstab. A forged ACK passes with probability 2^-28 (two slots tried),
// against Linux's 2^-24.
//
// TCP options do not fit in 32 bits. When the client sent timestamps, the proxy's SYN-ACK carries
// them in the low 6 bits of its TSval, as Linux's syncookies and netfilter's SYNPROXY do:
// window scale (4 bits, 0xf = none), SACK permitted (bit 4), ECN (bit 5). The client echoes the
// TSval in its ACK's TSecr. Without timestamps, window scaling, SACK and ECN are not offered.
#pragma once

#include "services/common/siphash.h"

namespace offsched::firewall {

constexpr u32 kCookieSlotSeconds = 64;
// Linux's msstab (net/ipv4/syncookies.c): 536, 1300, 1440 (PPPoE), 1460, from Alcock and
// Nelson's survey; and its IPv6 twin (net/ipv6/syncookies.c): the minimum MTU 1280, 1480
// (tunnels), 1500 and 9000 (jumbo), each less 60 bytes of headers.
inline constexpr u16 kCookieMss[4] = {536, 1300, 1440, 1460};
inline constexpr u16 kCookieMss6[4] = {1220, 1420, 1440, 8940};

// The 4-tuple as the client sent it (host order). Over IPv6 the two addresses are the
// connection's keyed address-pair digest (SynProxy::pair_of): 64 bits that only the secret's
// holder can aim at, MACed like an IPv4 pair.
struct CookieTuple {
    u32 client_ip, server_ip;
    u16 client_port, server_port;
};

// Largest table MSS not above the client's (the smallest when it sent none or less). Inline, so
// each family's comparisons fold to constants: every flood SYN pays it.
inline u8 cookie_mss_index(u16 client_mss, bool ipv6 = false)
{
    const u16* table = ipv6 ? kCookieMss6 : kCookieMss;
    return client_mss >= table[3] ? 3 : client_mss >= table[2] ? 2 : client_mss >= table[1] ? 1 : 0;
}
inline u16 cookie_mss(u8 index, bool ipv6) { return (ipv6 ? kCookieMss6 : kCookieMss)[index & 3u]; }

class CookieJar {
public:
    // secret keys everything; khz is the clock's rate (slot length in cycles).
    void init(u64 secret, u32 khz);
    u32 make(const CookieTuple& t, u32 client_isn, u8 mss_index, u64 now_cycles);
    // True when cookie was made for this tuple and ISN in the current slot or the one before;
    // gives back the MSS index it carries.
    bool check(const CookieTuple& t, u32 client_isn, u32 cookie, u64 now_cycles, u8* mss_index);

private:
    void advance(u64 now_cycles);
    u32 mac29(const SipKey& k, const CookieTuple& t, u32 client_isn) const;
    SipKey derive(u64 slot) const;

    SipKey master_;
    u64 slot_cycles_ = 1;
    u64 slot_ = ~0ull;
    SipKey cur_, prev_; // keys of slot_ and slot_ - 1
};

// Options the client asked for, as the timestamp cookie carries them.
struct TsCookieOptions {
    u8 wscale = 0xff;  // client's window scale, 0xff: none
    bool sack = false;
    bool ecn = false;
};

// The SYN-ACK's TSval: milliseconds with the low 6 bits replaced by the options, never ahead of now.
u32 ts_cookie_encode(u32 now_ms, const TsCookieOptions& o);
TsCookieOptions ts_cookie_decode(u32 tsecr);

} // namespace offsched::firewall
