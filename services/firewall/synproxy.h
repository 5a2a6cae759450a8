// The firewall's SYN proxy (synproxy: true): keeps a server reachable when its clients are
// unknown, the job of netfilter's SYNPROXY, on the service core.
//
//   client SYN          -> SYN-ACK with a cookie ISN and window 0, from the NIC queue it came on;
//                          no state (synproxy_cookie.h)
//   client ACK, valid   -> a connection entry; the proxy sends the host a SYN with the client's
//                          ISN and the options the cookie kept; the ACK itself goes no further
//   host SYN-ACK        -> absorbed; the proxy ACKs it on the client's behalf and sends the client
//                          a window update: the client's data may flow
//   every later segment -> both directions translated in place: sequence numbers (server->client
//                          seq, client->server ack and SACK blocks), timestamps (server->client
//                          TSval, client->server TSecr), windows when the server's window scale
//                          differs from the advertised one; checksums updated (RFC 1624)
// The window-0 SYN-ACK keeps the client's first data until the server's handshake is done, as
// SYNPROXY's does, so nothing has to be buffered. Counters are the firewall's (firewall_stats.h).
#pragma once

#include "model/frame.h"
#include "model/stats.h"
#include "services/firewall/firewall_config.h"
#include "services/firewall/synproxy_cookie.h"
#include "services/firewall/synproxy_table.h"
#include "services/net/flow_hash.h"
#include "services/net/parse.h"

namespace offsched::firewall {

// Largest frame the proxy builds: Ethernet + IPv6 + TCP with MSS, SACK-permitted, timestamps and
// window scale (94 bytes; 74 over IPv4).
constexpr u16 kProxyFrameCap = 96;

// Where the frames the proxy builds go; the firewall batches and counts them.
class ProxyOutput {
public:
    // kProxyFrameCap bytes for a frame to transmit on NIC queue `queue`.
    virtual u8* wire_slot(u32 queue) = 0;
    // Queues the frame written into the last wire_slot (cookie: a SYN-ACK cookie, counted so).
    virtual void send_wire(u32 queue, u16 len, bool cookie) = 0;
    // Hands a frame the proxy built for the server to the host, on the cpu of flow k.
    virtual void send_host(const u8* data, u16 len, const net::FlowKey& k) = 0;

protected:
    ~ProxyOutput() = default;
};

// TCP over IPv4 or IPv6 to a port the proxy protects, untagged (tagged frames bypass it, as in
// xdp-synproxy: rules and syn_limit filter them, the host answers them).
inline bool synproxy_protects(const Config& c, const net::ParsedFrame& p)
{
    return c.synproxy && p.proto == 6 && !p.has_vlan && p.dst_port >= c.synproxy_port_min && p.dst_port <= c.synproxy_port_max;
}
// A host frame from a protected port: it may belong to a proxied connection.
inline bool synproxy_port_of_host(const Config& c, const net::ParsedFrame& p)
{
    return c.synproxy && p.proto == 6 && !p.has_vlan && p.src_port >= c.synproxy_port_min && p.src_port <= c.synproxy_port_max;
}

class SynProxy {
public:
    enum class Verdict : u8 {
        Forward,  // the frame (translated in place if it belongs to a connection) goes on its way
        Answered, // answered here, or turned into frames of the proxy's own (counted)
        Dropped,  // dropped here (counted)
    };

    // arena: ConnTable::bytes_for(cfg.synproxy_connections) bytes from the backend.
    void init(const Config& cfg, void* arena, u32 khz, Counter* stats, ProxyOutput* out);

    // A client frame to a protected port that passed the rules (and, if a SYN, the SYN limit).
    Verdict from_client(u8* data, const net::ParsedFrame& p, u32 queue, u64 now);
    // A frame the host transmits from a protected port.
    Verdict from_host(u8* data, const net::ParsedFrame& p, u32 queue, u64 now);
    // A few table slots per step: expired connections are freed even where no new one lands.
    void sweep(u64 now);

    // Frames built or rewritten since the last call (the step's work units).
    u32 take_work()
    {
        const u32 w = work_;
        work_ = 0;
        return w;
    }

private:
    ConnKey key_of(const net::ParsedFrame& p, bool from_client) const;
    [[gnu::noinline]] ConnKey key6_of(const net::ParsedFrame& p, bool from_client) const;
    static CookieTuple cookie_tuple(const ConnKey& k) { return CookieTuple{k.client_ip, k.server_ip, k.client_port, k.server_port}; }
    Verdict client_syn(const net::ParsedFrame& p, const ConnKey& key, u32 queue, u64 now);
    Verdict client_new_ack(const net::ParsedFrame& p, const ConnKey& key, u32 queue, u64 now);
    Verdict client_in_handshake(ProxyConn& c, const net::ParsedFrame& p, u64 now);
    Verdict server_synack(ProxyConn& c, const u8* data, const net::ParsedFrame& p, u32 queue, u64 now);
    void send_server_syn(const ProxyConn& c, const net::ParsedFrame& from);
    void send_server_ack(const ProxyConn& c, const net::ParsedFrame& synack);
    void send_client_window(const ProxyConn& c, const net::ParsedFrame& synack);
    void to_server(ProxyConn& c, u8* data, const net::ParsedFrame& p, u64 now);
    void to_client(ProxyConn& c, u8* data, const net::ParsedFrame& p, u64 now);
    void track_close(ProxyConn& c, const net::ParsedFrame& p, bool from_client, u64 now);
    void count(u32 stat) { stats_[stat].add(); }
    u32 now_ms(u64 now) const { return static_cast<u32>(now / khz_); }

    Counter* stats_ = nullptr;
    ProxyOutput* out_ = nullptr;
    CookieJar cookies_;
    ConnTable table_;
    u32 khz_ = 1;
    SipKey pair_key_;
    u16 mss_ = 1460, mss6_ = 1440;
    u8 wscale_ = 7;
    bool sack_ = true, timestamps_ = true;
    u32 hash_seed_ = 0;
    u32 work_ = 0;
};

} // namespace offsched::firewall
