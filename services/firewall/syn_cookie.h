// Stateless SYN cookies (the scheme of Linux's net/ipv4/syncookies.c, simplified):
//   cookie = slot(5 bits) | mss_index(3 bits) | MAC24(secret, 4-tuple, client ISN, slot, mss_index)
// The SYN-ACK carries the cookie as its sequence number; the client's ACK returns cookie + 1 and
// its own ISN + 1, so the ACK alone proves the client saw our SYN-ACK. A cookie is accepted in
// its own 64 s time slot and the next one. No window scale/SACK/timestamps survive (no room in
// 32 bits without TCP timestamps): the reconstructed SYN carries only the MSS.
#pragma once

#include "services/net/flow_hash.h"

namespace offsched::firewall {

constexpr u32 kCookieSlotSeconds = 64;
inline constexpr u16 kCookieMss[8] = {536, 1200, 1300, 1400, 1440, 1452, 1460, 8960};

// Largest table MSS not above the client's (536 when it sent none).
u8 cookie_mss_index(u16 client_mss);

// `slot` is the current time slot (cycles / (khz * 1000 * kCookieSlotSeconds)).
u32 make_cookie(u32 secret, const net::FlowKey& k, u32 client_isn, u64 slot, u8 mss_index);

// True when `cookie` was made for this flow and ISN in slot `now_slot` or the one before; gives
// back the MSS index it encodes.
bool check_cookie(u32 secret, const net::FlowKey& k, u32 client_isn, u32 cookie, u64 now_slot, u8* mss_index);

} // namespace offsched::firewall
