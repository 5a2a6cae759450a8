// One Ethernet link to a QEMU guest NIC, of one of two kinds with the same send/receive interface:
// - UDP: QEMU's `-netdev socket,udp=` carries each frame as one UDP datagram, so sending a
//   datagram puts a frame on the guest's wire and every datagram we receive is a frame the guest
//   transmitted (no root needed).
// - packet: an AF_PACKET raw socket bound to a network interface, typically the host end of a
//   QEMU `-netdev tap` (root / CAP_NET_RAW). A frame sent is transmitted on that interface (for a
//   tap: QEMU reads it and the guest NIC receives it); frames received are those arriving on the
//   interface (for a tap: what the guest transmitted). Frames the host itself transmits on the
//   interface (its TCP stack's, other programs') are not delivered (PACKET_OUTGOING is ignored).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <utility> // before asio: its awaitable.hpp uses std::exchange without including it

#include <boost/asio.hpp>

namespace offsched::traffic {

class FrameLink {
public:
    using Handler = std::function<void(const uint8_t* frame, size_t len)>;

    // UDP link. local: where we listen ("127.0.0.1:7001", QEMU's udp= peer); remote: QEMU's
    // localaddr.
    FrameLink(boost::asio::io_context& io, const std::string& local, const std::string& remote);

    // Packet link on interface `ifname` (e.g. "tap0"). Throws std::system_error naming the
    // interface and what failed (no such interface; EPERM: needs root or CAP_NET_RAW).
    struct Interface {
        std::string name;
    };
    FrameLink(boost::asio::io_context& io, const Interface& ifname);

    // Frames shorter than 60 bytes are padded, as a real NIC would on the wire.
    // A packet link never blocks: a frame the interface cannot queue counts as a send error.
    void send(const uint8_t* frame, size_t len);
    void start_receive(Handler h);

    bool is_packet() const { return raw_.is_open(); }
    uint64_t frames_sent() const { return sent_; }
    uint64_t frames_received() const { return received_; }
    uint64_t send_errors() const { return send_errors_; }
    // Packet link: frames seen leaving the interface and ignored (0 when the kernel filtered them).
    uint64_t outgoing_ignored() const { return outgoing_ignored_; }

private:
    void receive_next();
    void receive_next_raw();

    boost::asio::ip::udp::socket socket_;
    boost::asio::generic::raw_protocol::socket raw_;
    boost::asio::ip::udp::endpoint remote_;
    boost::asio::ip::udp::endpoint sender_;
    boost::asio::generic::raw_protocol::endpoint raw_sender_;
    std::vector<uint8_t> rx_buf_;
    Handler handler_;
    uint64_t sent_ = 0, received_ = 0, send_errors_ = 0, outgoing_ignored_ = 0;
};

// "host:port" -> endpoint; throws std::invalid_argument naming the text.
boost::asio::ip::udp::endpoint parse_endpoint(const std::string& text);

} // namespace offsched::traffic
