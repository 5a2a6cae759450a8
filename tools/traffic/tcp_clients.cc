#include "tools/traffic/tcp_clients.h"

#include <cstring>

#include "services/net/build.h"
#include "services/net/headers.h"
#include "services/net/parse.h"

namespace offsched::traffic {

using namespace offsched::net;

TcpClients::TcpClients(FrameLink& link, const ClientParams& p, uint64_t seed) : link_(link), p_(p), rng_(seed) {}

void TcpClients::send(const Connection& c, uint8_t flags, uint32_t seq, uint32_t ack, const std::string& payload)
{
    TcpSpec s{};
    std::memcpy(s.addr.src_mac, p_.mac, 6);
    std::memcpy(s.addr.dst_mac, p_.dst_mac, 6);
    s.addr.src_ip = c.src_ip;
    s.addr.dst_ip = p_.dst_ip;
    s.addr.src_port = c.src_port;
    s.addr.dst_port = c.dst_port;
    s.seq = seq;
    s.ack = ack;
    s.flags = flags;
    s.window = 64240;
    s.mss = (flags & kTcpSyn) ? 1460 : 0;
    s.wscale = 0xff;
    s.payload = reinterpret_cast<const u8*>(payload.data());
    s.payload_len = static_cast<u16>(payload.size());
    uint8_t frame[1600];
    if (const uint16_t len = build_tcp(s, frame, sizeof frame)) link_.send(frame, len);
}

size_t TcpClients::open(Clock::time_point now, uint16_t dst_port, bool counted, bool reset_after_request)
{
    Connection c;
    const uint32_t hosts = p_.clients.prefix_len >= 31 ? 1 : (1u << (32 - p_.clients.prefix_len)) - 2;
    c.src_ip = p_.clients.addr + 1 + (next_client_++ % hosts);
    c.src_port = next_port_;
    next_port_ = next_port_ >= 60000 ? 20000 : next_port_ + 1;
    c.isn = static_cast<uint32_t>(rng_());
    c.dst_port = dst_port;
    c.first_syn = c.last_syn = now;
    c.syns = 1;
    c.counted = counted;
    c.reset_after_request = reset_after_request;
    conns_.push_back(c);
    by_key_[key(c.src_ip, c.src_port)] = conns_.size() - 1;
    send(c, kTcpSyn, c.isn, 0);
    return conns_.size() - 1;
}

bool TcpClients::handle(const uint8_t* frame, size_t len, Clock::time_point now)
{
    ParsedFrame p{};
    if (len > 0xffff || parse_frame(frame, static_cast<u16>(len), &p) != ParseError::Ok) return false;
    if (p.proto != kIpProtoTcp || p.src_ip != p_.dst_ip) return false;
    const auto it = by_key_.find(key(p.dst_ip, p.dst_port));
    if (it == by_key_.end()) return false;
    Connection& c = conns_[it->second];
    const auto since_first = [&] { return std::chrono::duration_cast<std::chrono::nanoseconds>(now - c.first_syn).count(); };
    if (p.tcp_flags & kTcpRst) {
        ++resets_;
        if (c.state == Connection::State::SynSent || c.state == Connection::State::RequestSent)
            c.state = Connection::State::Failed;
        return true;
    }
    const bool synack = (p.tcp_flags & (kTcpSyn | kTcpAck)) == (kTcpSyn | kTcpAck) && p.ack == c.isn + 1;
    if (synack && (c.state == Connection::State::SynSent || c.state == Connection::State::RequestSent)) {
        if (c.state == Connection::State::SynSent) c.connect_ns = since_first();
        c.server_next = p.seq + 1;
        c.state = Connection::State::RequestSent;
        // Handshake ACK, then the request (again if the server repeated its SYN-ACK).
        send(c, kTcpAck, c.isn + 1, c.server_next);
        send(c, kTcpAck | kTcpPsh, c.isn + 1, c.server_next, p_.request);
        if (c.reset_after_request) {
            send(c, kTcpRst, c.isn + 1 + static_cast<uint32_t>(p_.request.size()), 0);
            c.complete_ns = since_first();
            c.state = Connection::State::Done;
        }
        return true;
    }
    if (c.state == Connection::State::RequestSent && p.payload_len >= 7 &&
        std::memcmp(frame + p.payload_offset, "HTTP/1.", 7) == 0) {
        c.complete_ns = since_first();
        c.state = Connection::State::Done;
        send(c, kTcpRst, c.isn + 1 + static_cast<uint32_t>(p_.request.size()), 0);
    }
    return true;
}

void TcpClients::tick(Clock::time_point now)
{
    for (Connection& c : conns_) {
        if (c.state == Connection::State::Done || c.state == Connection::State::Failed) continue;
        if (now - c.first_syn > p_.give_up) {
            c.state = Connection::State::Failed;
            continue;
        }
        if (c.state != Connection::State::SynSent) continue;
        const auto rto = p_.syn_rto * (1u << (c.syns - 1));
        if (now - c.last_syn >= rto && c.syns <= p_.syn_retries) {
            ++c.syns;
            c.last_syn = now;
            send(c, kTcpSyn, c.isn, 0);
        }
    }
}

size_t TcpClients::pending() const
{
    size_t n = 0;
    for (const Connection& c : conns_)
        if (c.state == Connection::State::SynSent || c.state == Connection::State::RequestSent) ++n;
    return n;
}

} // namespace offsched::traffic
