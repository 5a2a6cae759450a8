// offsched-rtop over real UDP sockets on localhost: the receiver and the whole command line
// (run in-process on a thread) against a sender that interleaves valid datagrams with
// truncated, garbage and wrong-version ones and skips sequence numbers.
#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>
#include <thread>
#include <utility>

#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

#include "services/net/build.h"
#include "services/net/byte_order.h"
#include "tests/rtop_tool/datagrams.h"
#include "tools/offsched-rtop/cli.h"
#include "tools/offsched-rtop/receiver.h"

using namespace offsched;
namespace asio = boost::asio;
using asio::ip::udp;

namespace {

// The stream the sender sends: 3 valid samples, garbage in between, seq 3 and 4 never sent.
std::vector<std::vector<uint8_t>> mixed_stream()
{
    std::vector<test::CpuTimes> t0{{100, 900, 0, 0}, {500, 500, 0, 0}};
    std::vector<test::CpuTimes> t1{{300, 1500, 100, 100}, {1000, 1000, 0, 0}};
    std::vector<test::CpuTimes> t2{{500, 2100, 200, 200}, {1500, 1500, 0, 0}};
    auto trunc = test::rtop_datagram(2, 2, 2000, t1);
    trunc.resize(30);
    auto version = test::rtop_datagram(2, 2, 2000, t1);
    version[5] = 9;
    return {test::rtop_datagram(1, 1, 1000, t0), trunc, std::vector<uint8_t>(16, 0xde), test::rtop_datagram(2, 2, 2000, t1),
            version, test::rtop_datagram(5, 3, 3000, t2)};
}

void send_all(uint16_t port, const std::vector<std::vector<uint8_t>>& ds)
{
    asio::io_context io;
    udp::socket s(io, udp::endpoint(udp::v4(), 0));
    for (const auto& d : ds) s.send_to(asio::buffer(d), udp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

// True once something holds 127.0.0.1:port (binding it ourselves fails).
bool port_taken(uint16_t port)
{
    asio::io_context io;
    udp::socket s(io);
    s.open(udp::v4());
    boost::system::error_code ec;
    s.bind(udp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    return ec == asio::error::address_in_use;
}

uint16_t free_port()
{
    asio::io_context io;
    udp::socket s(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return s.local_endpoint().port();
}

struct CliRun {
    int rc = -1;
    std::string out, err;
};

CliRun run_cli(std::vector<std::string> args, const std::vector<std::vector<uint8_t>>& send, uint16_t port)
{
    CliRun r;
    std::ostringstream out, err;
    args.insert(args.begin(), "offsched-rtop");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::thread t([&] { r.rc = rtop_view::run_rtop_cli(static_cast<int>(argv.size()), argv.data(), out, err, false); });
    if (!send.empty()) {
        for (int i = 0; i < 500 && !port_taken(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        send_all(port, send);
    }
    t.join();
    r.out = out.str();
    r.err = err.str();
    return r;
}

// offsched-rtop --json's output of a run that succeeded, one object per line.
std::vector<nlohmann::json> json_lines(const CliRun& r)
{
    INFO(r.err);
    REQUIRE(r.rc == rtop_view::kRtopOk);
    std::istringstream lines(r.out);
    std::vector<nlohmann::json> js;
    for (std::string line; std::getline(lines, line);) js.push_back(nlohmann::json::parse(line));
    return js;
}

} // namespace

TEST_CASE("rtop receiver: a mixed stream over UDP gives the valid samples and counts the rest")
{
    asio::io_context io;
    std::vector<std::string> hosts;
    rtop_view::Receiver rx(io, "127.0.0.1", 0, [&](const std::string& host, const rtop_view::Collector& c) {
        hosts.push_back(host);
        if (c.counters().samples == 3) io.stop();
    });
    send_all(rx.port(), mixed_stream());
    io.run_for(std::chrono::seconds(10));
    REQUIRE(hosts.size() == 3);
    REQUIRE(rx.hosts().size() == 1);
    CHECK(hosts[0].rfind("127.0.0.1:", 0) == 0);
    const auto& k = rx.hosts().begin()->second.counters();
    CHECK(k.datagrams == 6);
    CHECK(k.garbage == 3);
    CHECK(k.lost == 2);
    CHECK(rx.hosts().begin()->second.last().cpus[1].busy_ppm == 500000);
}

TEST_CASE("offsched-rtop --json: one object per sample line, garbage and gaps counted")
{
    const uint16_t port = free_port();
    const CliRun r = run_cli({"--bind", "127.0.0.1", "--port", std::to_string(port), "--json", "--count", "3", "--timeout", "20s"},
                             mixed_stream(), port);
    const auto js = json_lines(r);
    REQUIRE(js.size() == 3);
    CHECK(js[0]["sample"] == 1);
    CHECK(js[2]["sample"] == 3);
    CHECK(js[2]["total_cpus"] == 2);
    CHECK(js[2]["cpus"][0]["busy_ppm"] == 200000); // 200 of 1000 ns
    CHECK(js[2]["cpus"][0]["softirq_ppm"] == 100000);
    CHECK(js[2]["counters"]["garbage"] == 3);
    CHECK(js[2]["counters"]["garbage_by_cause"]["bad_version"] == 1);
    CHECK(js[2]["counters"]["lost"] == 2);
    CHECK(js[2]["host"].get<std::string>().rfind("127.0.0.1:", 0) == 0);
}

TEST_CASE("offsched-rtop view: the top-like block names the host, the CPUs and the counters")
{
    const uint16_t port = free_port();
    const CliRun r = run_cli({"--bind", "127.0.0.1", "--port", std::to_string(port), "--count", "3", "--timeout", "20s"},
                             mixed_stream(), port);
    REQUIRE(r.rc == rtop_view::kRtopOk);
    CHECK(r.out.find("127.0.0.1:") != std::string::npos);
    CHECK(r.out.find("sample 3") != std::string::npos);
    CHECK(r.out.find("garbage 3 (truncated 1, bad_magic 1, bad_version 1)") != std::string::npos);
    CHECK(r.out.find("lost 2") != std::string::npos);
    CHECK(r.out.find("busy%") != std::string::npos);
    CHECK(r.out.find("   20.0") != std::string::npos);
}

TEST_CASE("offsched-rtop: too few samples before --timeout, bad options and a taken port are errors")
{
    const uint16_t port = free_port();
    const CliRun few = run_cli({"--bind", "127.0.0.1", "--port", std::to_string(port), "--count", "5", "--timeout", "300ms"},
                               {}, port);
    CHECK(few.rc == rtop_view::kRtopTooFew);
    CHECK(few.err.find("0 of 5 samples within 300ms") != std::string::npos);
    const CliRun bad = run_cli({"--timeout", "soon"}, {}, port);
    CHECK(bad.rc == rtop_view::kRtopUsage);
    CHECK(bad.err.find("--timeout soon") != std::string::npos);

    asio::io_context io;
    udp::socket holder(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    const CliRun taken = run_cli({"--bind", "127.0.0.1", "--port", std::to_string(port), "--timeout", "1s"}, {}, port);
    CHECK(taken.rc == rtop_view::kRtopCantBind);
    CHECK(taken.err.find("cannot listen on 127.0.0.1:" + std::to_string(port)) != std::string::npos);
}

TEST_CASE("offsched-rtop --ethernet: rtop's frames from QEMU's socket link decode, other frames are skipped")
{
    std::vector<std::vector<uint8_t>> frames;
    uint16_t src_port = 7171;
    for (const auto& payload : mixed_stream()) {
        net::UdpSpec u{};
        const uint8_t mac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
        net::copy_bytes(u.addr.src_mac, mac, 6);
        net::copy_bytes(u.addr.dst_mac, mac, 6);
        u.addr.src_ip = 0x0a00000a; // 10.0.0.10
        u.addr.dst_ip = 0x0a000001;
        u.addr.src_port = src_port;
        u.addr.dst_port = 7171;
        u.payload = payload.data();
        u.payload_len = static_cast<u16>(payload.size());
        std::vector<uint8_t> f(1600);
        f.resize(net::build_udp(u, f.data(), static_cast<u16>(f.size())));
        frames.push_back(f);
        auto other = f; // the same frame to another port: not rtop's
        other[14 + 20 + 3] ^= 1;
        frames.push_back(other);
    }
    frames.push_back(std::vector<uint8_t>(20, 0xff)); // not even a frame
    const uint16_t port = free_port();
    const CliRun r = run_cli({"--bind", "127.0.0.1", "--port", std::to_string(port), "--ethernet", "7171", "--json",
                              "--count", "3", "--timeout", "20s"},
                             frames, port);
    const auto js = json_lines(r);
    REQUIRE(js.size() == 3);
    CHECK(js[2]["host"] == "10.0.0.10:7171");
    CHECK(js[2]["counters"]["garbage"] == 3);
    CHECK(js[2]["counters"]["lost"] == 2);
    CHECK(js[2]["cpus"][0]["busy_ppm"] == 200000);
}
