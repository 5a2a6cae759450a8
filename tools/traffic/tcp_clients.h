// Legitimate clients: each connection is a real TCP exchange with the guest's server, carried
// in raw frames: SYN (retransmitted on the kernel's schedule: 1 s, doubling), the handshake
// ACK, an HTTP GET, and success when the server's "HTTP/1." answer arrives; then RST to free
// the server's socket. Connect latency is first SYN -> SYN-ACK.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "tools/traffic/arp_responder.h"
#include "tools/traffic/frame_link.h"

namespace offsched::traffic {

using Clock = std::chrono::steady_clock;

struct ClientParams {
    Ipv4Net clients{};       // source addresses the clients use (also answered by ARP)
    uint8_t mac[6] = {};
    uint8_t dst_mac[6] = {};
    uint32_t dst_ip = 0;
    uint16_t dst_port = 80;
    std::string request = "GET / HTTP/1.0\r\n\r\n";
    std::chrono::milliseconds syn_rto{1000};
    uint32_t syn_retries = 3;
    std::chrono::milliseconds give_up{8000}; // no answer by then: failed
};

struct Connection {
    enum class State { SynSent, RequestSent, Done, Failed } state = State::SynSent;
    uint32_t src_ip = 0;
    uint16_t src_port = 0;
    uint32_t isn = 0;
    uint32_t server_next = 0;
    uint32_t syns = 0;
    Clock::time_point first_syn, last_syn;
    int64_t connect_ns = -1;  // first SYN -> SYN-ACK
    int64_t complete_ns = -1; // first SYN -> HTTP answer
    uint16_t dst_port = 0;
    bool counted = true;      // false for readiness probes and the finish signal
    bool reset_after_request = false; // finish signal: close right after the request
};

class TcpClients {
public:
    TcpClients(FrameLink& link, const ClientParams& p, uint64_t seed);
    // Opens a connection; returns its index.
    size_t open(Clock::time_point now, uint16_t dst_port, bool counted = true, bool reset_after_request = false);
    // Consumes a frame addressed to one of our connections; false otherwise.
    bool handle(const uint8_t* frame, size_t len, Clock::time_point now);
    // Retransmits SYNs and fails connections that ran out of time.
    void tick(Clock::time_point now);

    const Connection& at(size_t i) const { return conns_[i]; }
    const std::vector<Connection>& all() const { return conns_; }
    size_t pending() const;
    uint64_t resets_received() const { return resets_; }

private:
    void send(const Connection& c, uint8_t flags, uint32_t seq, uint32_t ack, const std::string& payload = "");
    static uint64_t key(uint32_t ip, uint16_t port) { return (static_cast<uint64_t>(ip) << 16) | port; }

    FrameLink& link_;
    ClientParams p_;
    std::mt19937_64 rng_;
    std::vector<Connection> conns_;
    std::unordered_map<uint64_t, size_t> by_key_;
    uint32_t next_client_ = 0;
    uint16_t next_port_ = 20000;
    uint64_t resets_ = 0;
};

} // namespace offsched::traffic
