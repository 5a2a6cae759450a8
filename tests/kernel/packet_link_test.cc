// The traffic tool's packet link (AF_PACKET on an interface, the kind that floods a QEMU tap),
// on a veth pair in a private network namespace the test creates: what one end sends arrives at
// the other once, padded to 60 bytes; frames leaving an interface (ours or another program's)
// are never delivered as received; a missing interface is a clear error. Needs root (a network
// namespace, veth, CAP_NET_RAW): without it every case FAILs saying so.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tools/traffic/frame_link.h"

using offsched::traffic::FrameLink;
using namespace std::chrono_literals;

namespace {

// One private namespace per process, with veth pa <-> pb up; an empty string when that worked.
const std::string& setup_error()
{
    static const std::string err = [] {
        if (::geteuid() != 0) return std::string("needs root (network namespace, veth, CAP_NET_RAW): run as root");
        if (::unshare(CLONE_NEWNET) != 0) return std::string("unshare(CLONE_NEWNET) failed: ") + std::strerror(errno);
        if (std::system("ip link add pa type veth peer name pb && ip link set pa up && ip link set pb up") != 0)
            return std::string("cannot create veth pa/pb: install iproute2, kernel needs veth");
        return std::string();
    }();
    return err;
}

std::vector<uint8_t> frame(uint8_t tag, size_t len = 42)
{
    std::vector<uint8_t> f(len, 0);
    const uint8_t dst[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56}, src[6] = {0x52, 0x54, 0, 0xaa, 0xbb, tag};
    std::memcpy(f.data(), dst, 6);
    std::memcpy(f.data() + 6, src, 6);
    f[12] = 0x88; // local experimental ethertype 0x88b5: nothing in the kernel answers it
    f[13] = 0xb5;
    f[14] = tag;
    return f;
}

struct Pair {
    boost::asio::io_context io;
    std::unique_ptr<FrameLink> a, b;
    std::vector<std::vector<uint8_t>> at_a, at_b;
    Pair()
    {
        a = std::make_unique<FrameLink>(io, FrameLink::Interface{"pa"});
        b = std::make_unique<FrameLink>(io, FrameLink::Interface{"pb"});
        a->start_receive([this](const uint8_t* f, size_t n) { if (n > 14 && f[12] == 0x88 && f[13] == 0xb5) at_a.emplace_back(f, f + n); });
        b->start_receive([this](const uint8_t* f, size_t n) { if (n > 14 && f[12] == 0x88 && f[13] == 0xb5) at_b.emplace_back(f, f + n); });
    }
    void pump()
    {
        io.restart();
        io.run_for(100ms);
    }
};

} // namespace

TEST_CASE("packet link: a frame sent on one end arrives once at the other, padded to 60 bytes")
{
    INFO(setup_error());
    REQUIRE(setup_error().empty());
    Pair p;
    CHECK(p.a->is_packet());
    const auto f = frame(1);
    p.a->send(f.data(), f.size());
    const auto big = frame(2, 1514);
    p.a->send(big.data(), big.size());
    p.pump();
    CHECK(p.a->frames_sent() == 2);
    CHECK(p.a->send_errors() == 0);
    REQUIRE(p.at_b.size() == 2);
    CHECK(p.at_b[0].size() == 60);
    CHECK(std::equal(f.begin(), f.end(), p.at_b[0].begin()));
    CHECK(p.at_b[1] == big);
    CHECK(p.at_a.empty()); // our own frames never come back as received
}

TEST_CASE("packet link: frames another program transmits on the interface are not the guest's")
{
    INFO(setup_error());
    REQUIRE(setup_error().empty());
    Pair p;
    // A plain packet socket on pa stands for the host's own stack transmitting on the tap.
    const int fd = ::socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    REQUIRE(fd >= 0);
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = static_cast<int>(::if_nametoindex("pa"));
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&sll), sizeof sll) == 0);
    const auto f = frame(3, 60);
    REQUIRE(::send(fd, f.data(), f.size(), 0) == 60);
    ::close(fd);
    p.pump();
    CHECK(p.at_a.empty()); // left through pa: outgoing there
    REQUIRE(p.at_b.size() == 1); // arrived through pb
    CHECK(p.at_b[0] == f);
}

TEST_CASE("packet link: a missing interface is an error naming it")
{
    INFO(setup_error());
    REQUIRE(setup_error().empty());
    boost::asio::io_context io;
    try {
        FrameLink l(io, FrameLink::Interface{"nosuchtap0"});
        FAIL("no error for a missing interface");
    } catch (const std::system_error& e) {
        CHECK(std::string(e.what()).find("nosuchtap0") != std::string::npos);
    }
}
