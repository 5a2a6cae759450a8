// The SYN proxy's connections: a fixed-size open-addressing table in memory the backend
// allocated at attach (ServiceEnv::arena), sized by the config. No heap, no pointers inside.
//
// A connection hashes (keyed) to a bucket of kProbe slots. A byte per slot (0: free, else 8 bits
// of the key's hash) sits in a separate array, so a lookup compares the bucket's 16 tags a word
// at a time and reads a full entry only where a tag matches: a miss, the case of every flood
// SYN, costs one cache line, not sixteen.
// A new connection takes, in its bucket: a free slot; else one whose timeout passed; else the
// closing connection (FIN or RST seen) that would expire first, evicted early; else nothing: the
// bucket is full for it and the caller refuses the connection (counted, the client retries).
// Connections in their handshake or established are never evicted, so a full table slows new
// connections down but never corrupts or drops an established one.
//
// Timeouts (from the config): a handshake (client ACK to server SYN-ACK), an established
// connection idle, a closing connection. Expired entries are freed lazily when a bucket is
// scanned and by sweep(), which walks a few slots per service step.
#pragma once

#include "model/types.h"

namespace offsched::firewall {

enum ConnState : u8 { kConnFree = 0, kConnSynSent, kConnEstablished, kConnClosing };

enum ConnFlag : u8 {
    kConnTs = 1u << 0,         // timestamps negotiated with the client (and offered to the server)
    kConnSack = 1u << 1,       // SACK offered to the server
    kConnEcn = 1u << 2,        // ECN requested by the client
    kConnFinClient = 1u << 3,
    kConnFinServer = 1u << 4,
    kConnRst = 1u << 5,
    kConnServerTs = 1u << 6,   // the server answered with timestamps (ts_off is valid)
    kConnIpv6 = 1u << 7,       // an IPv6 connection: client_ip/server_ip hold its address-pair digest
};

// One proxied connection, one cache line. An IPv6 connection's 32 address bytes do not fit: it
// is keyed by a 64-bit keyed digest of them in client_ip/server_ip (kConnIpv6), and every frame
// the proxy builds takes its addresses from the frame in hand, never from the entry.
struct alignas(64) ProxyConn {
    u32 client_ip, server_ip;
    u16 client_port, server_port;
    u8 state;       // ConnState
    u8 flags;       // ConnFlag
    u8 client_ws;   // the client's window scale (0xff: none)
    u8 adv_ws;      // the window scale the proxy advertised to the client (0xff: none)
    u8 server_ws;   // the server's, from its SYN-ACK (0xff: none)
    u8 queue;       // index of the NIC queue the connection's frames arrive on
    u16 mss;        // the client's MSS, from the cookie
    u32 cookie_isn; // our ISN towards the client
    u32 client_isn;
    u32 seq_delta;  // server ISN - cookie ISN: server->client seq -= delta, client->server ack += delta
    u32 ts_off;     // server TSval - our cookie TSval (kConnServerTs)
    u32 its;        // our cookie TSval (what the client echoes)
    u32 client_tsval; // the client's TSval in its cookie ACK (echoed in our ACK to the server)
    u16 client_win; // the client's raw window in its cookie ACK
    u8 win_shift;   // window rescaling: bits 0-3 c->s in, 4-7 c->s out (see synproxy.cc)
    u8 win_shift_sc; //                  bits 0-3 s->c in, 4-7 s->c out
    u32 client_nxt; // the client's next sequence number, as far as seen (its RSTs must match it)
    u32 server_nxt; // the same for the server, in the server's numbering
    u64 expires;    // cycles
};
static_assert(sizeof(ProxyConn) == 64, "one cache line per connection");

struct ConnKey {
    u32 client_ip, server_ip; // IPv6: the address-pair digest
    u16 client_port, server_port;
    bool ipv6;
};

struct ConnTimeouts {
    u64 handshake = 0, idle = 0, closing = 0; // cycles
};

class ConnTable {
public:
    static constexpr u32 kProbe = 16;
    static constexpr u32 kMinCapacity = 64;

    static u64 tag_bytes(u32 capacity) { return (static_cast<u64>(capacity) + 63) & ~63ull; }
    static u64 bytes_for(u32 capacity) { return tag_bytes(capacity) + static_cast<u64>(capacity) * sizeof(ProxyConn); }

    // arena: bytes_for(capacity) zeroed bytes; capacity a power of two >= kMinCapacity.
    void init(void* arena, u32 capacity, u32 seed, const ConnTimeouts& t);

    // The live connection with this key, or nullptr (an expired one is freed on the way).
    ProxyConn* find(const ConnKey& k, u64 now);
    // A slot for a new connection (state kConnFree, key filled), or nullptr when the bucket holds
    // only live handshakes and established connections. *evicted: a closing one was pushed out.
    ProxyConn* claim(const ConnKey& k, u64 now, bool* evicted);
    void release(ProxyConn* c);
    // Sets the state and restarts its timeout (a claimed slot becomes live here).
    void touch(ProxyConn* c, ConnState s, u64 now);
    // Frees expired entries among the next n slots; returns how many.
    u32 sweep(u64 now, u32 n);

    u32 live() const { return live_; }
    u32 capacity() const { return mask_ + 1; }
    // Expired entries freed (lazily or by sweep) since init.
    u64 expired() const { return expired_; }

private:
    u32 bucket_of(u32 h) const { return h & mask_ & ~(kProbe - 1); }
    static u64 matches(const u8* tags, u8 tag);
    u64 timeout(u8 state) const;
    bool expire_if_due(u32 slot, u64 now);
    void free_slot(u32 slot);

    u8* tags_ = nullptr;
    ProxyConn* slots_ = nullptr;
    u32 mask_ = 0;
    u32 seed_ = 0;
    u32 live_ = 0;
    u32 sweep_at_ = 0;
    u64 expired_ = 0;
    ConnTimeouts t_;
};

} // namespace offsched::firewall
