// The listening socket sshd accept()s from: request socks (the SYN backlog) that expire after the
// SYN-ACK retransmits, SYN cookies once the request queue is full, the accept queue. Returns the
// TCP part of each packet's cost; the caller adds driver and netfilter costs.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <utility>
#include <vector>

#include "backends/sim/clients.h"
#include "backends/sim/ledger.h"
#include "backends/sim/params.h"

namespace offsched::sim {

// Hands an accepted child socket to an sshd worker (which core's worker is the machine's choice).
class AcceptRouter {
public:
    virtual void enqueue_accept(uint32_t conn, uint32_t from_core) = 0;

protected:
    ~AcceptRouter() = default;
};

class Listener {
public:
    Listener(const OsParams& os, Ledger& ledger, Clients& clients, AcceptRouter& router);

    uint64_t flood_syns(uint64_t n, uint64_t t_ns);
    uint64_t legit_syn(uint32_t conn, uint64_t t_ns);
    uint64_t legit_ack(uint32_t conn, uint32_t core, uint64_t t_ns);
    // sshd took one connection off the accept queue.
    void accepted_one() { --accept_len_; }

    uint64_t request_socks() const { return flood_reqsk_ + legit_reqsk_.size(); }
    uint64_t cookies_sent() const { return cookies_; }

private:
    enum class Server : uint8_t { None, Reqsk, Cookie, Child };
    Server& state(uint32_t conn);
    void expire(uint64_t t_ns);
    bool reqsk_room() const { return os_.syncookies != 2 && request_socks() < os_.syn_backlog; }
    uint32_t server_isn(uint32_t conn) const;

    const OsParams& os_;
    Ledger& ledger_;
    Clients& clients_;
    AcceptRouter& router_;
    uint64_t reqsk_life_ns_;
    std::deque<std::pair<uint64_t, uint64_t>> flood_batches_; // (expiry, count), oldest first
    uint64_t flood_reqsk_ = 0;
    std::map<uint32_t, uint64_t> legit_reqsk_; // conn -> expiry
    std::vector<Server> server_;
    uint32_t accept_len_ = 0;
    uint64_t cookies_ = 0;
};

} // namespace offsched::sim
