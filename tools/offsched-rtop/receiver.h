// offsched-rtop's socket side: one UDP socket (Boost.Asio), one Collector per sending host
// (address:port), and a callback for every completed sample. Never throws on bad input: a
// datagram either decodes or is counted as garbage by its sender's collector.
// Ethernet mode reads QEMU's `-netdev socket,udp=` link instead, where every datagram is a whole
// Ethernet frame: the UDP frames to rtop_port are rtop's, their sender is the frame's source.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility> // before asio: its awaitable.hpp uses std::exchange without including it

#include <boost/asio.hpp>

#include "lib/rtop/collector.h"

namespace offsched::rtop_view {

class Receiver {
public:
    using OnSample = std::function<void(const std::string& host, const Collector&)>;

    // Binds bind_ip:port (port 0: any free port, see port()). Throws boost::system::system_error
    // when the address cannot be bound.
    Receiver(boost::asio::io_context& io, const std::string& bind_ip, uint16_t port, OnSample on_sample);
    // Datagrams are Ethernet frames; rtop's are the UDP ones to rtop_port (0: plain UDP mode).
    void set_ethernet(uint16_t rtop_port) { ethernet_port_ = rtop_port; }
    uint64_t other_frames() const { return other_frames_; } // Ethernet mode: frames that were not rtop's

    uint16_t port() const { return socket_.local_endpoint().port(); }
    const std::map<std::string, Collector>& hosts() const { return hosts_; }
    uint64_t receive_errors() const { return receive_errors_; }
    void stop() { socket_.close(); }

private:
    void receive();
    void deliver(const std::string& host, const uint8_t* payload, size_t len);

    boost::asio::ip::udp::socket socket_;
    boost::asio::ip::udp::endpoint from_;
    std::array<uint8_t, 65536> buf_{};
    OnSample on_sample_;
    std::map<std::string, Collector> hosts_;
    uint64_t receive_errors_ = 0;
    uint16_t ethernet_port_ = 0;
    uint64_t other_frames_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

} // namespace offsched::rtop_view
