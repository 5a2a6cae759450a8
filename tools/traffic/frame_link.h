// One Ethernet link to a QEMU guest NIC: QEMU's `-netdev socket,udp=` carries each frame as one
// UDP datagram, so sending a datagram puts a frame on the guest's wire and every datagram we
// receive is a frame the guest transmitted.
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

    // local: where we listen ("127.0.0.1:7001", QEMU's udp= peer); remote: QEMU's localaddr.
    FrameLink(boost::asio::io_context& io, const std::string& local, const std::string& remote);

    // Frames shorter than 60 bytes are padded, as a real NIC would on the wire.
    void send(const uint8_t* frame, size_t len);
    void start_receive(Handler h);

    uint64_t frames_sent() const { return sent_; }
    uint64_t frames_received() const { return received_; }
    uint64_t send_errors() const { return send_errors_; }

private:
    void receive_next();

    boost::asio::ip::udp::socket socket_;
    boost::asio::ip::udp::endpoint remote_;
    boost::asio::ip::udp::endpoint sender_;
    std::vector<uint8_t> rx_buf_;
    Handler handler_;
    uint64_t sent_ = 0, received_ = 0, send_errors_ = 0;
};

// "host:port" -> endpoint; throws std::invalid_argument naming the text.
boost::asio::ip::udp::endpoint parse_endpoint(const std::string& text);

} // namespace offsched::traffic
