#include "tools/traffic/frame_link.h"

#include <stdexcept>

namespace offsched::traffic {

namespace asio = boost::asio;
using asio::ip::udp;

udp::endpoint parse_endpoint(const std::string& text)
{
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("expected host:port, got '" + text + "'");
    boost::system::error_code ec;
    const auto addr = asio::ip::make_address(text.substr(0, colon), ec);
    if (ec) throw std::invalid_argument("bad address in '" + text + "'");
    return udp::endpoint(addr, static_cast<unsigned short>(std::stoul(text.substr(colon + 1))));
}

FrameLink::FrameLink(asio::io_context& io, const std::string& local, const std::string& remote)
    : socket_(io), remote_(parse_endpoint(remote)), rx_buf_(65536)
{
    const udp::endpoint l = parse_endpoint(local);
    socket_.open(l.protocol());
    socket_.set_option(udp::socket::reuse_address(true));
    socket_.set_option(asio::socket_base::receive_buffer_size(4 << 20));
    socket_.set_option(asio::socket_base::send_buffer_size(4 << 20));
    socket_.bind(l);
}

void FrameLink::send(const uint8_t* frame, size_t len)
{
    uint8_t padded[60] = {};
    if (len < sizeof padded) {
        std::copy(frame, frame + len, padded);
        frame = padded;
        len = sizeof padded;
    }
    boost::system::error_code ec;
    socket_.send_to(asio::buffer(frame, len), remote_, 0, ec);
    if (ec) ++send_errors_;
    else ++sent_;
}

void FrameLink::start_receive(Handler h)
{
    handler_ = std::move(h);
    receive_next();
}

void FrameLink::receive_next()
{
    socket_.async_receive_from(asio::buffer(rx_buf_), sender_, [this](boost::system::error_code ec, size_t n) {
        if (ec == asio::error::operation_aborted) return;
        if (!ec) {
            ++received_;
            handler_(rx_buf_.data(), n);
        }
        receive_next();
    });
}

} // namespace offsched::traffic
