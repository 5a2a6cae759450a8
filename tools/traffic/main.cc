// offsched-traffic: drives a QEMU guest NIC with real Ethernet frames, over `-netdev socket,udp=`
// (--local/--remote) or a tap's host end (--ifname, AF_PACKET, root). Default mode: waits until
// the guest's server answers, then runs a SYN flood and legitimate HTTP connections side by side,
// optionally signals the end with one connection to --finish-port, and prints a JSON report on
// stdout. --flood-only: no clients of its own (the host's TCP stack is the client); floods from
// the start until --duration-ms (0: until SIGINT/SIGTERM) and reports what was sent and what the
// guest sent back to flood sources (SYN-ACKs, RSTs, other), per second.
//   offsched-traffic --local 127.0.0.1:7001 --remote 127.0.0.1:7002 --guest-mac 52:54:00:12:34:56
//       --guest-ip 10.0.0.10 --flood-pps 20000 --legit-rate 20 --duration-ms 5000
//   offsched-traffic --ifname tapl --flood-only --guest-mac 52:54:00:12:34:06 --guest-ip 10.1.0.10
//       --flood-pps 20000 --flood-src 10.1.0.0/16:1,198.18.0.0/15:1 --flood-exclude 10.1.0.0/24
//       --duration-ms 0
#include <csignal>
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "services/net/parse.h"
#include "tools/lib/cli_number.h"
#include "lib/ip_text/ip_text.h"
#include "tools/lib/version.h"
#include "tools/traffic/arp_responder.h"
#include "tools/traffic/frame_link.h"
#include "tools/traffic/rtop_listener.h"
#include "tools/traffic/nd_responder.h"
#include "tools/traffic/syn_flood.h"
#include "tools/traffic/tcp_clients.h"
#include "tools/traffic/traffic_report.h"

namespace {

using namespace offsched::traffic;
using namespace std::chrono_literals;

bool parse_mac(const std::string& s, uint8_t out[6])
{
    unsigned v[6];
    if (std::sscanf(s.c_str(), "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6) return false;
    for (int i = 0; i < 6; ++i) out[i] = static_cast<uint8_t>(v[i]);
    return true;
}

bool parse_net(const std::string& s, Ipv4Net* out, std::string* why)
{
    const auto c = offsched::tools::parse_cidr(s, why);
    if (c) *out = *c;
    return c.has_value();
}

struct Options {
    std::string local, remote, ifname, guest_mac = "52:54:00:12:34:56", my_mac = "52:54:00:aa:bb:01";
    std::string guest_ip = "10.0.0.10", clients = "10.0.0.0/24", flood_net = "198.18.0.0/15";
    std::string flood_src, flood_exclude, flood_src6, flood_dst6 = "2001:db8::10", gateway6 = "2001:db8::1";
    bool flood_only = false, flood_malformed = false;
    uint64_t flood_pps = 0, duration_ms = 5000, legit_rate = 10, ready_timeout_ms = 90000, seed = 1;
    uint16_t port = 80, finish_port = 0, rtop_port = 0;
    uint64_t rtop_samples = 0; // listen-only mode: stop after this many rtop samples
    uint64_t give_up_ms = 8000;
};

int fail(const std::string& msg)
{
    fmt::print(stderr, "offsched-traffic: {}\n", msg);
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    Options o;
    CLI::App app{"offsched-traffic: SYN flood + legitimate TCP connections over QEMU socket netdevs"};
    app.set_version_flag("--version", offsched::tools::version_line("offsched-traffic"));
    auto* local = app.add_option("--local", o.local, "our UDP endpoint (QEMU's udp= peer), host:port");
    auto* remote = app.add_option("--remote", o.remote, "QEMU's localaddr endpoint, host:port");
    auto* ifname = app.add_option("--ifname", o.ifname,
                                  "instead of UDP: send and receive raw frames on this interface (a tap's host end; root)");
    local->needs(remote);
    remote->needs(local);
    ifname->excludes(local)->excludes(remote);
    app.add_option("--guest-mac", o.guest_mac, "MAC of the guest NIC");
    app.add_option("--guest-ip", o.guest_ip, "IPv4 address of the guest's server");
    app.add_option("--port", o.port, "server port (HTTP)")
        ->check(offsched::tools::whole_number<uint16_t>());
    app.add_option("--mac", o.my_mac, "MAC the clients and the flood use");
    app.add_option("--clients", o.clients, "legitimate client network (ARP answered for it)");
    auto* flood_net = app.add_option("--flood-net", o.flood_net, "spoofed flood source network");
    app.add_option("--flood-src", o.flood_src,
                   "flood sources as weighted networks, CIDR[:WEIGHT],... (e.g. 10.1.0.0/16:1,198.18.0.0/15:3)")
        ->excludes(flood_net);
    app.add_option("--flood-exclude", o.flood_exclude,
                   "networks never used as flood sources, CIDR,... (e.g. the victim's on-link 10.1.0.0/24)");
    app.add_flag("--flood-only", o.flood_only,
                 "no clients, no readiness probe: flood until --duration-ms (0: until SIGINT/SIGTERM), report replies");
    app.add_flag("--flood-malformed", o.flood_malformed,
                 "each flood frame malformed, cycling through runts, truncated and inconsistent IPv4/TCP headers, bad "
                 "checksums, IP options, fragments and VLAN tags (tools/traffic/malformed.h)");
    app.add_option("--flood-src6", o.flood_src6,
                   "an IPv6 flood instead: SYNs from random addresses in this prefix (e.g. 2001:2::/48) to --flood-dst6");
    app.add_option("--flood-dst6", o.flood_dst6, "the guest's IPv6 address the IPv6 flood goes to")->needs("--flood-src6");
    app.add_option("--gateway6", o.gateway6,
                   "the guest's IPv6 gateway: this tool answers neighbour solicitations for it (as ARP for --clients)");
    app.add_option("--flood-pps", o.flood_pps, "SYN flood rate (0: none)")
        ->check(offsched::tools::whole_number<uint64_t>());
    app.add_option("--legit-rate", o.legit_rate, "legitimate connections per second")
        ->check(offsched::tools::whole_number<uint64_t>(1, 100000));
    app.add_option("--duration-ms", o.duration_ms, "length of the measured run (--flood-only: 0 = until a signal)")
        ->check(offsched::tools::whole_number<uint64_t>());
    app.add_option("--ready-timeout-ms", o.ready_timeout_ms, "give up if the guest's server never answers")
        ->check(offsched::tools::whole_number<uint64_t>());
    app.add_option("--give-up-ms", o.give_up_ms, "a connection not done by then failed")
        ->check(offsched::tools::whole_number<uint64_t>());
    app.add_option("--finish-port", o.finish_port, "after the run, connect once to this port (guest waits on it)")
        ->check(offsched::tools::whole_number<uint16_t>());
    app.add_option("--seed", o.seed, "random seed (flood addresses, ISNs)")
        ->check(offsched::tools::whole_number<uint64_t>());
    app.add_option("--rtop-port", o.rtop_port, "decode rtop datagrams sent to this UDP port")
        ->check(offsched::tools::whole_number<uint16_t>());
    app.add_option("--rtop-samples", o.rtop_samples,
                   "listen only (no flood, no clients) until this many rtop samples arrived")->needs("--rtop-port");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 64; // --help/--version: 0; a bad command line: EX_USAGE
    }
    if (o.local.empty() && o.ifname.empty()) return fail("give --local/--remote (UDP link) or --ifname (packet link)");
    if (o.flood_only && (o.rtop_samples || o.finish_port)) return fail("--flood-only runs no clients: no --rtop-samples or --finish-port");
    if (o.flood_only && o.flood_pps == 0) return fail("--flood-only needs --flood-pps > 0");

    FloodParams fp;
    ClientParams cp;
    uint8_t my_mac[6];
    if (!parse_mac(o.guest_mac, fp.dst_mac) || !parse_mac(o.my_mac, my_mac)) return fail("bad MAC address");
    const auto guest_ip = offsched::tools::parse_ipv4(o.guest_ip);
    if (!guest_ip) return fail(fmt::format("bad --guest-ip '{}'", o.guest_ip));
    fp.dst_ip = *guest_ip;
    std::string why;
    if (!parse_net(o.clients, &cp.clients, &why)) return fail(fmt::format("bad --clients '{}': {}", o.clients, why));
    if (!o.flood_src.empty() || !o.flood_exclude.empty()) {
        const auto mix = SourceMix::parse(o.flood_src.empty() ? o.flood_net : o.flood_src, o.flood_exclude, &why);
        if (!mix) return fail(fmt::format("bad flood sources: {}", why));
        fp.sources = *mix;
    } else {
        Ipv4Net n{};
        if (!parse_net(o.flood_net, &n, &why)) return fail(fmt::format("bad --flood-net '{}': {}", o.flood_net, why));
        fp.sources = n;
    }
    std::memcpy(fp.src_mac, my_mac, 6);
    std::memcpy(cp.mac, my_mac, 6);
    std::memcpy(cp.dst_mac, fp.dst_mac, 6);
    cp.dst_ip = fp.dst_ip;
    cp.dst_port = fp.dst_port = o.port;
    cp.give_up = std::chrono::milliseconds(o.give_up_ms);
    fp.rate_pps = o.flood_pps;
    fp.malformed = o.flood_malformed;
    if (!o.flood_src6.empty()) {
        const auto src6 = offsched::tools::parse_prefix(o.flood_src6, &why);
        if (!src6 || src6->family != 6)
            return fail(fmt::format("bad --flood-src6 '{}': {}", o.flood_src6, src6 ? "not an IPv6 prefix" : why));
        const auto dst6 = offsched::tools::parse_prefix(o.flood_dst6, &why);
        if (!dst6 || dst6->family != 6 || dst6->prefix_len != 128)
            return fail(fmt::format("bad --flood-dst6 '{}': an IPv6 address is needed", o.flood_dst6));
        if (o.flood_malformed) return fail("--flood-malformed rewrites IPv4 SYNs: not with --flood-src6");
        fp.src6 = *src6;
        fp.dst6[0] = dst6->v6[0];
        fp.dst6[1] = dst6->v6[1];
    }

    boost::asio::io_context io;
    std::unique_ptr<FrameLink> link;
    try {
        if (!o.ifname.empty()) link = std::make_unique<FrameLink>(io, FrameLink::Interface{o.ifname});
        else link = std::make_unique<FrameLink>(io, o.local, o.remote);
    } catch (const std::exception& e) {
        if (!o.ifname.empty()) return fail(fmt::format("cannot open packet link on {}: {}", o.ifname, e.what()));
        return fail(fmt::format("cannot open link {} -> {}: {}", o.local, o.remote, e.what()));
    }
    ArpResponder arp(*link, my_mac, cp.clients);
    const auto gateway6 = offsched::tools::parse_prefix(o.gateway6, &why);
    if (!gateway6 || gateway6->family != 6 || gateway6->prefix_len != 128)
        return fail(fmt::format("bad --gateway6 '{}': an IPv6 address is needed", o.gateway6));
    NdResponder nd(*link, my_mac, gateway6->v6);
    SynFlood flood(*link, fp, o.seed);
    TcpClients clients(*link, cp, o.seed ^ 0x9e3779b97f4a7c15ull);
    LinkCounts counts;
    RtopListener rtop(o.rtop_port);
    ReplyTally tally;
    uint64_t guest_frames_other = 0; // --flood-only: the guest's frames not addressed to a flood source

    link->start_receive([&](const uint8_t* f, size_t n) {
        // --flood-only shares the wire with the host's own stack: ARP is the host's to answer.
        if (!o.flood_only && (arp.handle(f, n) || nd.handle(f, n))) return;
        if (rtop.handle(f, n)) return;
        if (!o.flood_only && clients.handle(f, n, Clock::now())) return;
        offsched::net::ParsedFrame p{};
        if (n <= 0xffff &&
            offsched::net::parse_frame(f, static_cast<uint16_t>(n), &p, offsched::net::IpFamilies::Ipv4AndIpv6) ==
                offsched::net::ParseError::Ok &&
            flood.is_source(p)) {
            ++counts.replies_to_flood;
            tally.reply(Clock::now(), ReplyTally::classify(f, n));
        } else {
            ++guest_frames_other;
        }
    });

    enum class Phase { Ready, Run, Drain, Finish, Done } phase = Phase::Ready;
    const auto t0 = Clock::now();
    Clock::time_point run_start = t0, run_end = t0, last_probe = t0 - 1h;
    size_t probe = SIZE_MAX, finish = SIZE_MAX;
    uint64_t opened = 0, flood_counted = 0;
    int exit_code = 0;
    bool signalled = false;
    boost::asio::steady_timer timer(io);
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int) {
        if (!ec) signalled = true; // the next tick ends the run and reports
    });
    // What the flood's sources are: the IPv6 prefix, or the IPv4 mix.
    const std::string sources = fp.src6 ? offsched::tools::format_prefix(*fp.src6) : fp.sources.describe();
    if (o.flood_only) {
        fmt::print(stderr, "offsched-traffic: flood only, {} pps from {} to {}:{} on {}\n", o.flood_pps, sources,
                   fp.src6 ? o.flood_dst6 : o.guest_ip, o.port, o.ifname.empty() ? o.remote : o.ifname);
        phase = Phase::Run;
        flood.start(t0);
        tally.start(t0);
    }
    std::function<void()> tick = [&] {
        const auto now = Clock::now();
        clients.tick(now);
        if (o.rtop_samples) { // listen-only: nothing to send, wait for the samples or time out
            if (rtop.samples() >= o.rtop_samples) {
                run_end = now;
                phase = Phase::Done;
            } else if (now - t0 > std::chrono::milliseconds(o.ready_timeout_ms)) {
                fmt::print(stderr, "offsched-traffic: only {} of {} rtop samples within {} ms\n", rtop.samples(),
                           o.rtop_samples, o.ready_timeout_ms);
                exit_code = 3;
                phase = Phase::Done;
            }
        }
        switch (o.rtop_samples ? Phase::Done : phase) {
        case Phase::Ready:
            if (probe != SIZE_MAX && clients.at(probe).state == Connection::State::Done) {
                fmt::print(stderr, "offsched-traffic: guest answered after {} ms; running {} ms\n",
                           std::chrono::duration_cast<std::chrono::milliseconds>(now - t0).count(), o.duration_ms);
                phase = Phase::Run;
                run_start = now;
                flood.start(now);
                tally.start(now);
            } else if (now - t0 > std::chrono::milliseconds(o.ready_timeout_ms)) {
                fmt::print(stderr, "offsched-traffic: the guest's server never answered on {}:{} within {} ms\n",
                           o.guest_ip, o.port, o.ready_timeout_ms);
                exit_code = 3;
                phase = Phase::Done;
            } else if (now - last_probe > 500ms) {
                probe = clients.open(now, o.port, false);
                last_probe = now;
            }
            break;
        case Phase::Run: {
            flood.tick(now);
            tally.sent(now, flood.sent() - flood_counted);
            flood_counted = flood.sent();
            if (o.flood_only) {
                if (signalled || (o.duration_ms && now - run_start >= std::chrono::milliseconds(o.duration_ms))) {
                    run_end = now;
                    phase = Phase::Done;
                }
                break;
            }
            const uint64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now - run_start).count();
            while (opened < ns * o.legit_rate / 1000000000ull + 1) {
                clients.open(now, o.port);
                ++opened;
            }
            if (now - run_start >= std::chrono::milliseconds(o.duration_ms)) {
                run_end = now;
                phase = Phase::Drain;
            }
            break;
        }
        case Phase::Drain: {
            size_t pending = 0;
            for (const auto& c : clients.all())
                if (c.counted && (c.state == Connection::State::SynSent || c.state == Connection::State::RequestSent))
                    ++pending;
            if (pending == 0) {
                phase = o.finish_port ? Phase::Finish : Phase::Done;
                if (o.finish_port) finish = clients.open(now, o.finish_port, false, true);
            }
            break;
        }
        case Phase::Finish:
            if (clients.at(finish).state == Connection::State::Done || clients.at(finish).state == Connection::State::Failed)
                phase = Phase::Done;
            break;
        case Phase::Done:
            break;
        }
        if (signalled && phase != Phase::Done) { // interrupted outside a flood-only run: report what there is
            if (run_end == t0) run_end = now;
            exit_code = exit_code ? exit_code : 4;
            phase = Phase::Done;
        }
        if (phase == Phase::Done) {
            io.stop();
            return;
        }
        timer.expires_after(1ms);
        timer.async_wait([&](boost::system::error_code ec) {
            if (!ec) tick();
        });
    };
    tick();
    io.run();

    counts.flood_sent = flood.sent();
    counts.flood_malformed = o.flood_malformed;
    counts.flood_ipv6 = fp.src6.has_value();
    counts.nd_advertisements = nd.advertisements();
    counts.frames_sent = link->frames_sent();
    counts.frames_received = link->frames_received();
    counts.arp_replies = arp.replies();
    counts.send_errors = link->send_errors();
    counts.duration_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(run_end - run_start).count();
    nlohmann::ordered_json report;
    if (o.flood_only) {
        report["mode"] = "flood_only";
        report["link"] = o.ifname.empty() ? "udp:" + o.remote : "packet:" + o.ifname;
        report["sources"] = sources;
        report["flood_ipv6"] = counts.flood_ipv6;
        report["duration_ns"] = counts.duration_ns;
        report["flood_sent"] = counts.flood_sent;
        report["flood_pps_achieved"] =
            counts.duration_ns ? counts.flood_sent * 1000000000ull / counts.duration_ns : 0;
        report["send_errors"] = counts.send_errors;
        report["frames_received"] = counts.frames_received;
        report["replies_to_flood"] = counts.replies_to_flood;
        report["guest_frames_other"] = guest_frames_other;
    } else {
        report = make_report(clients.all(), counts);
        if (o.rtop_port) report["rtop"] = rtop.report();
    }
    if (o.flood_pps) report["flood_replies"] = tally.report();
    std::cout << report.dump(2) << std::endl;
    return exit_code;
}
