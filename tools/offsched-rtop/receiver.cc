#include "tools/offsched-rtop/receiver.h"

#include <fmt/format.h>

#include "services/net/headers.h"
#include "services/net/parse.h"

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
        } else if (!ethernet_port_) {
            deliver(fmt::format("{}:{}", from_.address().to_string(), from_.port()), buf_.data(), n);
        } else {
            net::ParsedFrame p{};
            if (n <= 0xffff && net::parse_frame(buf_.data(), static_cast<u16>(n), &p) == net::ParseError::Ok &&
                p.proto == net::kIpProtoUdp && p.dst_port == ethernet_port_) {
                const uint32_t ip = p.src_ip;
                deliver(fmt::format("{}.{}.{}.{}:{}", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, p.src_port),
                        buf_.data() + p.payload_offset, p.payload_len);
            } else {
                ++other_frames_;
            }
        }
        receive();
    });
}

void Receiver::deliver(const std::string& host, const uint8_t* payload, size_t len)
{
    Collector& c = hosts_[host];
    const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_);
    if (c.feed(payload, len, static_cast<uint64_t>(now.count())) && on_sample_) on_sample_(host, c);
}

} // namespace offsched::rtop_view
