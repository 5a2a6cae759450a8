// The timer's channels as a backend sees them (model/channels.h): the text form of a request
// (the kernel's sysfs cpuN/request) and the summary of a completion (what its reader keeps).
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "services/registry.h"
#include "services/timer/timer_channels.h"
#include "services/timer/timer_config.h"

using namespace offsched;

namespace {
constexpr u32 kKhz = 2000000; // 2 GHz: 2 cycles a ns
bool parse(const std::string& text, timer::TimerRequest* r)
{
    *r = {};
    return timer::request_from_text(text.data(), static_cast<u32>(text.size()), RequestContext{5000, kKhz}, r);
}
} // namespace

TEST_CASE("timer channels: a request's text form, as sysfs writes it")
{
    timer::TimerRequest r;
    REQUIRE(parse("arm 7 1000000 250000\n", &r));
    CHECK(r.op == timer::kArm);
    CHECK(r.id == 7);
    CHECK(r.deadline == 5000 + 2000000); // from now, in cycles
    CHECK(r.period == 500000);
    REQUIRE(parse("  cancel\t4294967295", &r));
    CHECK(r.op == timer::kCancel);
    CHECK(r.id == 4294967295u);
    REQUIRE(parse("arm 0 0 0", &r)); // a one-shot timer due now
    CHECK(r.period == 0);
    CHECK(r.deadline == 5000);
}

TEST_CASE("timer channels: malformed requests are refused whole")
{
    timer::TimerRequest r;
    for (const char* bad : {"", "\n", "explode 1", "arm", "arm 1 2", "arm 1 2 3 4", "arm x 2 3", "arm -1 2 3",
                            "arm 4294967296 2 3", "arm 1 18446744073709551616 0", "cancel", "cancel 1 2", "cancel1",
                            "armed 1 2 3", "arm 1 2 3x", "cancel 0x10"}) {
        INFO(bad);
        CHECK_FALSE(parse(bad, &r));
    }
}

TEST_CASE("timer channels: a completion's summary is its lateness, number and periods")
{
    timer::TimerCompletion c{3, 2, 1000, 1600, 42};
    CompletionSummary s{};
    timer::summarize(&c, kKhz, &s);
    CHECK(s.err_ns == 300);
    CHECK(s.seq == 42);
    CHECK(s.periods == 3);
    CHECK(s.due == 1000);
    // Lateness is exact to the nanosecond (the converter's multiply-shift rounds 3 cycles at
    // 3 GHz to 0 ns), and an early completion is on time.
    CHECK(lateness_ns(100, 103, 3000000) == 1);
    CHECK(lateness_ns(100, 100 + 2999999, 3000000) == 999999);
    CHECK(lateness_ns(200, 100, 3000000) == 0);
}

TEST_CASE("timer channels: the sim's timer workload, as the service takes it over")
{
    const ChannelSpec& c = find_service("timer")->channels;
    timer::TimerRequest r{};
    REQUIRE(c.periodic_request);
    c.periodic_request(5, 1000, 300, &r);
    CHECK(r.op == timer::kArm);
    CHECK(r.id == 5);
    CHECK(r.deadline == 1000);
    CHECK(r.period == 300);
    timer::Config cfg{};
    timer::set_defaults(cfg);
    cfg.timer_count = 12;
    PeriodicLimits lim{};
    REQUIRE(c.periodic_limits);
    c.periodic_limits(&cfg, &lim);
    CHECK(lim.max_count == 12);
    CHECK(lim.min_period_ns == cfg.min_period_ns);
    CHECK(std::string(lim.count_field) == "timer_count");
    CHECK(c.completion_slots == timer::kCompletionRingSize);
}

TEST_CASE("timer channels: the registry row carries them, services without channels declare none")
{
    const ServiceKind* t = find_service("timer");
    REQUIRE(t);
    CHECK(t->channels.request_bytes == sizeof(timer::TimerRequest));
    CHECK(t->channels.completion_bytes == sizeof(timer::TimerCompletion));
    CHECK(t->channels.takes_over == Workload::Timers);
    const ServiceKind* f = find_service("firewall");
    REQUIRE(f);
    CHECK(f->channels.request_bytes == 0);
    CHECK_FALSE(f->channels.os_stats);
    CHECK(find_service("rtop")->channels.os_stats);
    CHECK(find_service("rt")->channels.takes_over == Workload::RtJobs);
}
