#include "model/ip_prefix.h"

namespace offsched {

bool prefix_valid(const IpPrefix& p)
{
    if (p.reserved) return false;
    switch (p.family) {
    case 0: return p.prefix_len == 0 && !p.v4 && !p.v6[0] && !p.v6[1];
    case 4: return p.prefix_len <= 32 && !(p.v4 & ~prefix_mask32(p.prefix_len)) && !p.v6[0] && !p.v6[1];
    case 6:
        return p.prefix_len <= 128 && !p.v4 && !(p.v6[0] & ~prefix_mask64(p.prefix_len > 64 ? 64 : p.prefix_len)) &&
               !(p.v6[1] & ~prefix_mask64(p.prefix_len > 64 ? p.prefix_len - 64 : 0));
    default: return false;
    }
}

} // namespace offsched
