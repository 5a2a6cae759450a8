#include "tools/traffic/arp_responder.h"

#include <cstring>

#include "services/net/byte_order.h"
#include "services/net/headers.h"

namespace offsched::traffic {

using namespace offsched::net;

ArpResponder::ArpResponder(FrameLink& link, const uint8_t mac[6], Ipv4Net answer_for) : link_(link), net_(answer_for)
{
    std::memcpy(mac_, mac, 6);
}

bool ArpResponder::handle(const uint8_t* f, size_t len)
{
    if (len < 42 || load_be16(f + 12) != kEtherTypeArp) return false;
    const uint8_t* arp = f + 14;
    // Ethernet/IPv4 request (htype 1, ptype 0x0800, oper 1) for an address we answer for.
    if (load_be16(arp) != 1 || load_be16(arp + 2) != kEtherTypeIpv4 || load_be16(arp + 6) != 1) return true;
    const uint32_t target = load_be32(arp + 24);
    if (!net_contains(net_, target)) return true;
    uint8_t r[42];
    std::memcpy(r, f + 6, 6); // to the asker
    std::memcpy(r + 6, mac_, 6);
    store_be16(r + 12, kEtherTypeArp);
    uint8_t* a = r + 14;
    store_be16(a, 1);
    store_be16(a + 2, kEtherTypeIpv4);
    a[4] = 6;
    a[5] = 4;
    store_be16(a + 6, 2); // reply
    std::memcpy(a + 8, mac_, 6);
    store_be32(a + 14, target);
    std::memcpy(a + 18, arp + 8, 6);   // sender hw of the request
    std::memcpy(a + 24, arp + 14, 4);  // sender ip of the request
    link_.send(r, sizeof r);
    ++replies_;
    return true;
}

} // namespace offsched::traffic
