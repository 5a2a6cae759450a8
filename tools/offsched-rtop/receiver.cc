#include "tools/offsched-rtop/receiver.h"

#include <fmt/format.h>

namespace offsched::rtop_view {

namespace asio = boost::asio;
using asio::ip::udp;

Receiver::Receiver(asio::io_context& io, const std::string& bind_ip, uint16_t port, OnSample on_sample)
    : socket_(io, udp::endpoint(asio::ip::make_address(bind_ip), port)), on_sample_(std::move(on_sample))
{
    receive();
}

void Receiver::receive()
{
    socket_.async_receive_from(asio::buffer(buf_), from_, [this](const boost::system::error_code& ec, size_t n) {
        if (ec == asio::error::operation_aborted || !socket_.is_open()) return;
        if (ec) {
            ++receive_errors_; // e.g. ICMP port unreachable reported on a UDP socket: keep going
        } else {
            const std::string host = fmt::format("{}:{}", from_.address().to_string(), from_.port());
            Collector& c = hosts_[host];
            const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_);
            if (c.feed(buf_.data(), n, static_cast<uint64_t>(now.count())) && on_sample_) on_sample_(host, c);
        }
        receive();
    });
}

} // namespace offsched::rtop_view
