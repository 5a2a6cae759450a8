#include "tools/traffic/frame_link.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

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
    : socket_(io), raw_(io), remote_(parse_endpoint(remote)), rx_buf_(65536)
{
    const udp::endpoint l = parse_endpoint(local);
    socket_.open(l.protocol());
    socket_.set_option(udp::socket::reuse_address(true));
    socket_.set_option(asio::socket_base::receive_buffer_size(4 << 20));
    socket_.set_option(asio::socket_base::send_buffer_size(4 << 20));
    socket_.bind(l);
}

namespace {

[[noreturn]] void fail_errno(int err, const std::string& what)
{
    std::string hint;
    if (err == EPERM || err == EACCES) hint = " (a packet socket needs root or CAP_NET_RAW)";
    throw std::system_error(err, std::generic_category(), what + hint);
}

} // namespace

FrameLink::FrameLink(asio::io_context& io, const Interface& ifname) : socket_(io), raw_(io), rx_buf_(65536)
{
    const unsigned index = ::if_nametoindex(ifname.name.c_str());
    if (index == 0) fail_errno(errno, "interface '" + ifname.name + "'");
    const int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    if (fd < 0) fail_errno(errno, "packet socket on '" + ifname.name + "'");
    const asio::generic::raw_protocol proto(AF_PACKET, htons(ETH_P_ALL));
    boost::system::error_code ec;
    raw_.assign(proto, fd, ec);
    if (ec) {
        ::close(fd);
        throw std::system_error(ec.value(), std::generic_category(), "packet socket on '" + ifname.name + "'");
    }
    // Frames the host transmits on the interface are not the guest's: let the kernel drop them
    // (Linux >= 4.20); receive_next_raw() also checks sll_pkttype in case it cannot.
    const int one = 1;
    (void)::setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
    const int buf = 8 << 20;
    (void)::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf); // root: past rmem_max
    (void)::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    (void)::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = static_cast<int>(index);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&sll), sizeof sll) != 0)
        fail_errno(errno, "bind packet socket to '" + ifname.name + "'");
    raw_.non_blocking(true);
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
    if (raw_.is_open())
        raw_.send(asio::buffer(frame, len), 0, ec); // bound: goes out on that interface
    else
        socket_.send_to(asio::buffer(frame, len), remote_, 0, ec);
    if (ec) ++send_errors_;
    else ++sent_;
}

void FrameLink::start_receive(Handler h)
{
    handler_ = std::move(h);
    if (raw_.is_open()) receive_next_raw();
    else receive_next();
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

void FrameLink::receive_next_raw()
{
    raw_.async_receive_from(asio::buffer(rx_buf_), raw_sender_, [this](boost::system::error_code ec, size_t n) {
        if (ec == asio::error::operation_aborted) return;
        if (!ec) {
            sockaddr_ll sll{};
            std::memcpy(&sll, raw_sender_.data(), std::min<size_t>(raw_sender_.size(), sizeof sll));
            if (sll.sll_pkttype == PACKET_OUTGOING) {
                ++outgoing_ignored_;
            } else {
                ++received_;
                handler_(rx_buf_.data(), n);
            }
        }
        receive_next_raw();
    });
}

} // namespace offsched::traffic
