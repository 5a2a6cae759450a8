#include "services/firewall/syn_cookie.h"

namespace offsched::firewall {

namespace {
u32 mac24(u32 secret, const net::FlowKey& k, u32 isn, u32 slot5, u8 mss_index)
{
    const u32 h = net::flow_hash(k, secret);
    return net::mix32(h ^ net::mix32(isn ^ (slot5 << 8) ^ mss_index ^ secret)) & 0xffffffu;
}
} // namespace

u8 cookie_mss_index(u16 client_mss)
{
    if (client_mss == 0) return 0;
    u8 best = 0;
    for (u8 i = 0; i < 8; ++i)
        if (kCookieMss[i] <= client_mss) best = i;
    return best;
}

u32 make_cookie(u32 secret, const net::FlowKey& k, u32 client_isn, u64 slot, u8 mss_index)
{
    const u32 s5 = static_cast<u32>(slot & 31);
    return (s5 << 27) | (static_cast<u32>(mss_index & 7) << 24) | mac24(secret, k, client_isn, s5, mss_index & 7);
}

bool check_cookie(u32 secret, const net::FlowKey& k, u32 client_isn, u32 cookie, u64 now_slot, u8* mss_index)
{
    const u32 s5 = cookie >> 27;
    const u8 idx = static_cast<u8>((cookie >> 24) & 7);
    const u32 now5 = static_cast<u32>(now_slot & 31);
    if (s5 != now5 && s5 != ((now5 + 31) & 31)) return false; // older than one slot: expired
    if ((cookie & 0xffffffu) != mac24(secret, k, client_isn, s5, idx)) return false;
    *mss_index = idx;
    return true;
}

} // namespace offsched::firewall
