// offsched-rtop's socket side: one UDP socket (Boost.Asio), one Collector per sending host
// (address:port), and a callback for every completed sample. Never throws on bad input: a
// datagram either decodes or is counted as garbage by its sender's collector.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility> // before asio: its awaitable.hpp uses std::exchange without including it

#include <boost/asio.hpp>

#include "tools/offsched-rtop/collector.h"

namespace offsched::rtop_view {

class Receiver {
public:
    using OnSample = std::function<void(const std::string& host, const Collector&)>;

    // Binds bind_ip:port (port 0: any free port, see port()). Throws boost::system::system_error
    // when the address cannot be bound.
    Receiver(boost::asio::io_context& io, const std::string& bind_ip, uint16_t port, OnSample on_sample);

    uint16_t port() const { return socket_.local_endpoint().port(); }
    const std::map<std::string, Collector>& hosts() const { return hosts_; }
    uint64_t receive_errors() const { return receive_errors_; }
    void stop() { socket_.close(); }

private:
    void receive();

    boost::asio::ip::udp::socket socket_;
    boost::asio::ip::udp::endpoint from_;
    std::array<uint8_t, 65536> buf_{};
    OnSample on_sample_;
    std::map<std::string, Collector> hosts_;
    uint64_t receive_errors_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

} // namespace offsched::rtop_view
