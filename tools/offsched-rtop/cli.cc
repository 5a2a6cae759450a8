#include "tools/offsched-rtop/cli.h"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <utility> // before asio (std::exchange)

#include <CLI/CLI.hpp>
#include <boost/asio.hpp>
#include <fmt/format.h>

#include "tools/lib/cli_number.h"
#include "tools/lib/quantity.h"
#include "tools/lib/version.h"
#include "tools/offsched-rtop/receiver.h"
#include "tools/offsched-rtop/view.h"

namespace offsched::rtop_view {

namespace {

struct Options {
    std::string bind = "0.0.0.0";
    uint16_t port = 7171;
    bool json = false;
    uint64_t count = 0;
    std::string timeout;
    uint16_t ethernet = 0;
};

// Clear-and-home only when the view goes to a real terminal; a pipe gets one block per sample.
bool to_terminal(const std::ostream& out) { return &out == &std::cout && isatty(STDOUT_FILENO); }

} // namespace

int run_rtop_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err, bool handle_signals)
{
    CLI::App app{"offsched-rtop: receives the rtop service's UDP datagrams (wire format: docs/SERVICES.md) "
                 "and shows each sending host's CPUs like top"};
    Options o;
    app.add_option("--bind", o.bind, "local address to listen on")->capture_default_str();
    app.add_option("-p,--port", o.port, "UDP port the rtop service sends to (its dst_port)")->capture_default_str()
        ->check(tools::whole_number<uint16_t>());
    app.set_version_flag("--version", tools::version_line("offsched-rtop"));
    app.add_flag("--json", o.json, "one JSON object per sample on its own line, for scripts");
    app.add_option("--count", o.count, "exit after this many complete samples (all hosts together)")
        ->check(tools::whole_number<uint64_t>());
    app.add_option("--ethernet", o.ethernet,
                   "datagrams are Ethernet frames (QEMU -netdev socket,udp=); rtop's are UDP to this port")
        ->check(tools::whole_number<uint16_t>());
    app.add_option("--timeout", o.timeout, "exit after this long (e.g. 5s, 500ms); with --count, exit 1 if it was not reached");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e, out, err) == 0 ? kRtopOk : kRtopUsage;
    }
    std::optional<uint64_t> timeout_ns;
    if (!o.timeout.empty()) {
        std::string why;
        timeout_ns = tools::parse_quantity(o.timeout, "ns", &why);
        if (timeout_ns && *timeout_ns > static_cast<uint64_t>(std::chrono::nanoseconds::max().count()))
            why = "more than the 292 years a timer can wait", timeout_ns.reset(); // would wrap to the past
        if (!timeout_ns) {
            err << fmt::format("offsched-rtop: --timeout {}: {}\n", o.timeout, why);
            return kRtopUsage;
        }
    }

    boost::asio::io_context io;
    uint64_t samples = 0;
    const bool terminal = !o.json && to_terminal(out);
    std::optional<Receiver> rx;
    try {
        rx.emplace(io, o.bind, o.port, [&](const std::string& host, const Collector& c) {
            ++samples;
            if (o.json) {
                nlohmann::ordered_json j;
                j["host"] = host;
                j.update(c.sample_json());
                out << j.dump() << '\n' << std::flush;
            } else {
                std::string screen = terminal ? "\x1b[H\x1b[2J" : "";
                if (terminal)
                    for (const auto& [h, hc] : rx->hosts()) screen += render_host(h, hc) + "\n";
                else
                    screen += render_host(host, c) + "\n";
                out << screen << std::flush;
            }
            if (o.count && samples >= o.count) io.stop();
        });
    } catch (const std::exception& e) {
        err << fmt::format("offsched-rtop: cannot listen on {}:{}: {}\n", o.bind, o.port, e.what());
        return kRtopCantBind;
    }
    if (o.ethernet) rx->set_ethernet(o.ethernet);
    boost::asio::steady_timer timer(io);
    bool timed_out = false;
    if (timeout_ns) {
        timer.expires_after(std::chrono::nanoseconds(*timeout_ns));
        timer.async_wait([&](const boost::system::error_code& ec) {
            if (ec) return;
            timed_out = true;
            io.stop();
        });
    }
    boost::asio::signal_set signals(io);
    if (handle_signals) {
        signals.add(SIGINT);
        signals.add(SIGTERM);
        signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
    }
    io.run();
    if (timed_out && o.count && samples < o.count) {
        err << fmt::format("offsched-rtop: {} of {} samples within {}\n", samples, o.count, o.timeout);
        for (const auto& [h, c] : rx->hosts()) err << render_host(h, c);
        return kRtopTooFew;
    }
    return kRtopOk;
}

} // namespace offsched::rtop_view
