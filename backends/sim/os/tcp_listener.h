// The listening socket the server application accept()s from: request socks (the SYN backlog)
// that expire after the SYN-ACK retransmits, SYN cookies once the request queue is full, the
// accept queue; optionally netfilter's SYNPROXY in front of it (os.synproxy). Its segments to
// clients leave through a HostWire. Returns the TCP (and netfilter target) part of each packet's
// cost; the caller adds driver and netfilter hook costs.
//
// The server application: ssh-like (a connection is done at accept()) or HTTP-like
// (legit.response_segments): once a connection is accepted and its request is in, the response
// goes out, n segments, FIN on the last.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <utility>
#include <vector>

#include "backends/sim/traffic/clients.h"
#include "backends/sim/os/host_wire.h"
#include "backends/sim/machine/ledger.h"
#include "backends/sim/machine/packet.h"
#include "backends/sim/run/params.h"

namespace offsched::sim {

// The server's ISN for a connection (deterministic per connection).
uint32_t listener_isn(uint32_t conn);
// The server's timestamp clock (ms), as its TSval shows it.
inline uint32_t server_tsval(uint64_t t_ns) { return static_cast<uint32_t>(t_ns / 1000000) + 0x40000000u; }

// Hands an accepted child socket to a server worker (which core's worker is the machine's choice).
class AcceptRouter {
public:
    virtual void enqueue_accept(uint32_t conn, uint32_t from_core) = 0;

protected:
    ~AcceptRouter() = default;
};

class Listener {
public:
    Listener(const SimParams& p, Ledger& ledger, Clients& clients, AcceptRouter& router, HostWire& wire);

    uint64_t flood_syns(uint64_t n, uint64_t t_ns);
    // A legitimate client's segment (s.kind == Legit) handled on `core` at t_ns.
    uint64_t legit(const Slot& s, uint32_t core, uint64_t t_ns);
    // The application took one connection off the accept queue.
    void accepted_one() { --accept_len_; }
    // Its work per connection (accept, and for HTTP the response's transmit path).
    uint64_t app_cycles() const;
    // The application finished with conn at t_ns: accept() returned (ssh) or the response is written.
    void app_done(uint32_t conn, uint64_t t_ns);

    uint64_t request_socks() const { return flood_reqsk_ + legit_reqsk_.size(); }
    uint64_t cookies_sent() const { return cookies_; }
    // SYN-ACKs sent to flood sources (request socks, cookies, SYNPROXY): the host's backscatter.
    uint64_t backscatter() const { return backscatter_; }

private:
    enum class Server : uint8_t { None, Reqsk, Cookie, Child, ProxyCookie };
    struct ConnState {
        Server st = Server::None;
        bool accepted = false, request = false, responded = false;
    };
    ConnState& state(uint32_t conn);
    void expire(uint64_t t_ns);
    bool reqsk_room() const { return os_.syncookies != 2 && request_socks() < os_.syn_backlog; }
    uint64_t legit_syn(uint32_t conn, uint64_t t_ns);
    uint64_t legit_ack(uint32_t conn, uint32_t core, uint64_t t_ns, bool request);
    uint64_t proxy_ack(uint32_t conn, uint32_t core, uint64_t t_ns);
    // The ISN clients see: the listener's, or SYNPROXY's cookie (its seqadj hides the listener's).
    uint32_t client_view_isn(uint32_t conn) const;
    void send_synack(uint32_t conn, uint32_t isn, uint16_t window, uint64_t t_ns);
    void respond(uint32_t conn, uint64_t t_ns);

    const OsParams& os_;
    const LegitParams& legit_;
    Ledger& ledger_;
    Clients& clients_;
    AcceptRouter& router_;
    HostWire& wire_;
    uint64_t reqsk_life_ns_;
    std::deque<std::pair<uint64_t, uint64_t>> flood_batches_; // (expiry, count), oldest first
    uint64_t flood_reqsk_ = 0;
    std::map<uint32_t, uint64_t> legit_reqsk_; // conn -> expiry
    std::vector<ConnState> server_;
    uint32_t accept_len_ = 0;
    uint64_t cookies_ = 0;
    uint64_t backscatter_ = 0;
};

} // namespace offsched::sim
