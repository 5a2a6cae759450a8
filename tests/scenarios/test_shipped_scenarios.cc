// The promise of scenarios/syn_flood.yaml, checked on the shipped file with the real SystemC
// model: under the flood the stock host stops answering ssh while the offsched host does not, and
// without the flood both answer.
#include <catch2/catch.hpp>

#include <filesystem>

#include "backends/sim/hotplug/hotplug_scenario.h"
#include "backends/sim/run/simulate.h"
#include "tests/sim/simulate_checked.h"
#include "tools/lib/scenario_loader.h"

using namespace offsched;

namespace {

const std::string kSynFlood = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/syn_flood.yaml";

std::vector<sim::DesignResult> run(const std::vector<tools::ParamOverride>& sets)
{
    const sim::Scenario s = tools::load_scenario(kSynFlood, sets);
    std::vector<sim::DesignResult> out;
    std::string error;
    INFO(error);
    REQUIRE(sim::simulate(s, &out, &error));
    REQUIRE(out.size() == 2);
    REQUIRE(out[0].design == "baseline");
    REQUIRE(out[1].design == "offsched");
    return out;
}

} // namespace

TEST_CASE("syn_flood.yaml: the flood makes the stock host unreachable, offsched keeps it reachable")
{
    const auto r = run({});
    INFO("baseline " << r[0].legit_established << "/" << r[0].legit_attempts << ", offsched "
                     << r[1].legit_established << "/" << r[1].legit_attempts);
    REQUIRE(r[0].legit_attempts >= 400); // 1000 conn/s over the counted window
    CHECK(r[0].legit_success_ppm < 500000);
    CHECK(r[1].legit_success_ppm >= 990000);
    // The flood reached the NIC in every design: the difference is where it died.
    CHECK(r[0].flood_offered == r[1].flood_offered);
    CHECK(r[0].flood_offered > 0);
}

TEST_CASE("syn_flood.yaml with the flood off: both designs answer nearly every connection")
{
    const auto r = run({{"flood.rate_pps", "0"}});
    for (const auto& d : r) {
        INFO(d.design << ": " << d.legit_established << "/" << d.legit_attempts);
        CHECK(d.flood_offered == 0);
        CHECK(d.legit_success_ppm >= 990000);
    }
}

TEST_CASE("every shipped scenario loads")
{
    size_t packet_scenarios = 0;
    for (const auto& e : std::filesystem::directory_iterator(std::string(OFFSCHED_SOURCE_DIR) + "/scenarios")) {
        if (e.path().extension() != ".yaml") continue;
        INFO(e.path().string());
        if (sim::hotplug::is_hotplug_scenario(e.path().string())) {
            sim::hotplug::HotplugScenario h;
            std::string error;
            CHECK(sim::hotplug::load_hotplug_scenario(e.path().string(), &h, &error));
            continue;
        }
        const sim::Scenario s = tools::load_scenario(e.path().string());
        CHECK_FALSE(s.designs.empty());
        ++packet_scenarios;
    }
    CHECK(packet_scenarios >= 1);
}

namespace {

const std::string kWebFlood = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/web_flood.yaml";
const std::string kIpv6Flood = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/ipv6_flood.yaml";
const std::string kWebFloodDualStack = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/web_flood_dual_stack.yaml";

// The designs of a shipped scenario named in `keep`, in that order, run on the shipped file.
std::vector<sim::DesignResult> run_designs(const std::string& file, const std::vector<std::string>& keep,
                                           std::vector<tools::ParamOverride> sets)
{
    sim::Scenario s = tools::load_scenario(file, sets);
    std::vector<sim::Design> picked;
    for (const std::string& name : keep)
        for (const sim::Design& d : s.designs)
            if (d.name == name) picked.push_back(d);
    REQUIRE(picked.size() == keep.size());
    s.designs = picked;
    return sim::simulate_checked(s);
}

// Every design of a scenario file under the source tree, as it stands.
std::vector<sim::DesignResult> run_file(const std::string& relative)
{
    return sim::simulate_checked(tools::load_scenario(std::string(OFFSCHED_SOURCE_DIR) + "/" + relative, {}));
}

uint64_t stat_of(const sim::DesignResult& r, const std::string& name)
{
    for (const auto& [k, v] : r.service_stats)
        if (k == name) return v;
    FAIL("no service stat " << name);
    return 0;
}

std::vector<sim::DesignResult> run_web(const std::vector<std::string>& keep, std::vector<tools::ParamOverride> sets)
{
    return run_designs(kWebFlood, keep, std::move(sets));
}

} // namespace

TEST_CASE("web_flood.yaml: clients from the flood's own address space reach the server only through the proxy")
{
    // 2 s at line rate: the clients' patience is cut to 1 s so the counted window keeps 700 ms.
    const auto r = run_web({"stock", "offsched-2"},
                           {{"run.duration_ns", "2s"}, {"run.warmup_ns", "300ms"}, {"legit.connect_timeout_ns", "1s"}});
    const sim::DesignResult& stock = r[0];
    const sim::DesignResult& proxy = r[1];
    INFO("stock " << stock.legit_established << "/" << stock.legit_attempts << ", offsched-2 "
                  << proxy.legit_established << "/" << proxy.legit_attempts);
    REQUIRE(stock.legit_attempts >= 1000);
    CHECK(stock.legit_success_ppm < 500000);
    CHECK(proxy.legit_success_ppm >= 990000);
    // Every response segment the clients got continued the server's numbers as they saw them:
    // the proxy translated each one (a client drops a segment that does not, and then fails).
    CHECK(proxy.legit_bad_segments == 0);
    // The proxy answered the whole flood itself: the host saw validated handshakes only.
    CHECK(stat_of(proxy, "syn_received") >= proxy.flood_offered * 99 / 100);
    CHECK(stat_of(proxy, "cookie_valid") == stat_of(proxy, "proxy_established"));
    CHECK(stat_of(proxy, "proxy_established") >= proxy.legit_established);
    CHECK(stat_of(proxy, "proxy_to_client") >= 8 * proxy.legit_established);
    CHECK(stat_of(proxy, "cookie_invalid") == 0);
    // Backscatter: both answer the flood with SYN-ACKs; the proxy answers all of it.
    CHECK(proxy.backscatter_pps > stock.backscatter_pps);
}

TEST_CASE("web_flood_dual_stack.yaml: the proxy answers both families' floods and serves both families' clients")
{
    const auto r = run_designs(kWebFloodDualStack, {"stock", "offsched-2"},
                               {{"run.duration_ns", "2s"}, {"run.warmup_ns", "300ms"}, {"legit.connect_timeout_ns", "1s"}});
    const sim::DesignResult &stock = r[0], &proxy = r[1];
    INFO("stock " << stock.legit_established << "/" << stock.legit_attempts << ", offsched-2 "
                  << proxy.legit_established << "/" << proxy.legit_attempts);
    REQUIRE(stock.legit_attempts >= 1000);
    CHECK(stock.legit_success_ppm < 500000);
    // Half the clients connect over IPv6: only a proxy of both families serves 99 %.
    CHECK(proxy.legit_success_ppm >= 990000);
    CHECK(proxy.legit_bad_segments == 0);
    CHECK(stat_of(proxy, "ipv6") * 100 >= stat_of(proxy, "rx") * 45);
    CHECK(stat_of(proxy, "ipv6") * 100 <= stat_of(proxy, "rx") * 55);
    // Both halves of the flood are answered with cookies on the service cores.
    CHECK(stat_of(proxy, "syn_received") >= proxy.flood_offered * 99 / 100);
    CHECK(stat_of(proxy, "cookie_valid") == stat_of(proxy, "proxy_established"));
    CHECK(stat_of(proxy, "proxy_to_client") >= 8 * proxy.legit_established);
    CHECK(stat_of(proxy, "cookie_invalid") == 0);
}

TEST_CASE("web_flood.yaml without the flood: every design serves every client")
{
    const auto r = run_web({"stock", "synproxy", "offsched-1", "offsched-2", "offsched-3"},
                           {{"flood.rate_pps", "0"}, {"run.duration_ns", "1500ms"}, {"run.warmup_ns", "200ms"},
                            {"legit.connect_timeout_ns", "1s"}});
    for (const auto& d : r) {
        INFO(d.design << ": " << d.legit_established << "/" << d.legit_attempts << ", bad segments " << d.legit_bad_segments);
        CHECK(d.legit_attempts >= 500);
        CHECK(d.legit_success_ppm == 1000000);
        CHECK(d.legit_bad_segments == 0);
        CHECK(d.backscatter_synacks == 0);
    }
}

TEST_CASE("designs[].reloads: a drop rule added at 1 s stops the flood from then on, counters carried over")
{
    const std::vector<sim::DesignResult> r = run_file("tests/scenarios/reload_rule.yaml");
    REQUIRE(r.size() == 2);
    const sim::DesignResult& without = r[0];
    const sim::DesignResult& reloaded = r[1];
    CHECK(stat_of(without, "reloads") == 0);
    CHECK(stat_of(reloaded, "reloads") == 1);
    // Every flood frame from the reload on (2 of the 3 s at 3 Mpps) hits the new rule, none before.
    CHECK(stat_of(reloaded, "rule1_hits") >= 5'990'000);
    CHECK(stat_of(reloaded, "rule1_hits") <= 6'000'000);
    CHECK(stat_of(without, "dropped_rule") == 0);
    // The admin rule kept its place and name: its hits run through the reload (as many as
    // without it, give or take the clients the flood delayed).
    CHECK(stat_of(reloaded, "rule0_hits") >= stat_of(without, "rule0_hits") * 99 / 100);
    // Once the flood stops at the service core, the admin's connections are fast again.
    CHECK(reloaded.connect_p99_ns * 10 < without.connect_p99_ns);
}

TEST_CASE("a new service needs nothing in the sim's backend: echo gets the OS statistics it declares it reads and answers the requests posted to it")
{
    const std::vector<sim::DesignResult> r = run_file("tests/scenarios/echo_os_stats.yaml");
    REQUIRE(r.size() == 1);
    // Published every os_stats.publish_ns (20 ms) over 200 ms, plus the first at start.
    CHECK(stat_of(r[0], "os_samples") >= 9);
    CHECK(stat_of(r[0], "os_cpus") == 4);
    // The design's requests, posted in echo's text form: every one answered, none lost, each
    // within a poll of the service core (idle: it relaxes between polls).
    const sim::ChannelResult& c = r[0].channel;
    CHECK(c.requests_posted == 1900 + 1);
    CHECK(c.requests_refused == 0);
    CHECK(stat_of(r[0], "requests") == c.requests_posted);
    CHECK(c.completions == c.requests_posted);
    CHECK(c.completions_lost == 0);
    CHECK(c.err_max_ns > 0);
    CHECK(c.err_p99_ns < 10000);
}

TEST_CASE("a request period past the end of time is posted once, and the run ends")
{
    const std::vector<sim::DesignResult> r = run_file("tests/scenarios/echo_every_overflow.yaml");
    REQUIRE(r.size() == 1);
    CHECK(r[0].channel.requests_posted == 1);
    CHECK(r[0].channel.completions == 1);
}

TEST_CASE("ipv6_flood.yaml: rules written for IPv4 let the IPv6 half through, rules for both stop it on the service core and let IPv6 admins in")
{
    const auto r = run_designs(kIpv6Flood, {"baseline", "offsched-ipv4-rules", "offsched"},
                               {{"run.duration_ns", "2s"}, {"run.warmup_ns", "300ms"}, {"legit.connect_timeout_ns", "1s"}});
    const sim::DesignResult &stock = r[0], &v4_rules = r[1], &both = r[2];
    INFO("baseline " << stock.legit_established << "/" << stock.legit_attempts << ", ipv4 rules "
                     << v4_rules.legit_established << "/" << v4_rules.legit_attempts << ", offsched "
                     << both.legit_established << "/" << both.legit_attempts);
    REQUIRE(stock.legit_attempts >= 500); // 1000 conn/s over the counted window (warm-up to end less the timeout)
    CHECK(stock.legit_success_ppm < 500000);
    CHECK(v4_rules.legit_success_ppm < 500000);
    CHECK(both.legit_success_ppm >= 990000);
    // Half the flood is IPv6, and the service core parses it as such in both firewall designs.
    for (const sim::DesignResult* d : {&v4_rules, &both}) {
        CHECK(stat_of(*d, "ipv6") * 100 >= stat_of(*d, "rx") * 45);
        CHECK(stat_of(*d, "ipv6") * 100 <= stat_of(*d, "rx") * 55);
    }
    // The IPv4-only drop rule sees the IPv4 half; the service passes the IPv6 half up to the
    // host, more than the host ring can take.
    CHECK(stat_of(v4_rules, "rule1_hits") * 100 <= stat_of(v4_rules, "rx") * 55);
    CHECK((stat_of(v4_rules, "passed") + stat_of(v4_rules, "host_ring_full")) * 100 >= stat_of(v4_rules, "rx") * 45);
    // Without a source the rule drops both halves on the service core, and the admins that
    // connect over IPv6 (a quarter of the addresses) get in by their own network's rule.
    CHECK(stat_of(both, "rule2_hits") * 100 >= both.flood_offered * 99);
    CHECK(stat_of(both, "passed") * 100 < stat_of(both, "rx")); // the admins' own frames
    CHECK(stat_of(both, "rule1_hits") * 100 >= (stat_of(both, "rule0_hits") + stat_of(both, "rule1_hits")) * 15);
}

TEST_CASE("blocklist_flood.yaml: one rule naming an abuse feed stops the botnet of both families and lets unknown clients in")
{
    const std::string file = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/blocklist_flood.yaml";
    const auto r = run_designs(file, {"baseline", "offsched"},
                               {{"run.duration_ns", "2s"}, {"run.warmup_ns", "300ms"}, {"legit.connect_timeout_ns", "1s"}});
    const sim::DesignResult &stock = r[0], &feed = r[1];
    INFO("baseline " << stock.legit_established << "/" << stock.legit_attempts << ", offsched " << feed.legit_established
                     << "/" << feed.legit_attempts);
    REQUIRE(stock.legit_attempts >= 500);
    CHECK(stock.legit_success_ppm < 500000);
    CHECK(feed.legit_success_ppm >= 990000);
    // The feed lists the whole botnet (198.18.0.0/15 as 512 /24s, 2001:2::/48): every flood
    // frame is the rule's, a quarter of them IPv6; the clients' network is not listed.
    CHECK(stat_of(feed, "rule0_hits") * 100 >= feed.flood_offered * 99);
    CHECK(stat_of(feed, "ipv6") * 100 >= stat_of(feed, "rx") * 20);
    CHECK(stat_of(feed, "passed") < feed.flood_offered / 100); // the clients' frames only
    CHECK(stat_of(feed, "passed") >= feed.legit_established);
}
