// The echo service through its channels only (model/channels.h), as a backend drives it: the
// registry row's declaration, Service's channel methods, bytes in and out.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <vector>

#include "fakes.h"
#include "services/echo/echo.h"
#include "services/registry.h"

using namespace offsched;
using namespace offsched::test;

namespace {
struct Running {
    Running() : kind(find_service("echo"))
    {
        REQUIRE(kind);
        cfg.resize(kind->config_size);
        kind->defaults(cfg.data());
        storage = std::aligned_alloc(64, (kind->object_size + 63) / 64 * 64);
        svc = kind->create(storage, env.env, cfg.data());
    }
    ~Running() { std::free(storage); }
    bool post(u64 id)
    {
        u64 record[kMaxChannelRecord / 8];
        const std::string text = "echo " + std::to_string(id) + "\n";
        REQUIRE(kind->channels.request_from_text(text.data(), static_cast<u32>(text.size()),
                                                 RequestContext{env.clock.now, env.clock.khz()}, record));
        return svc->post_request(record);
    }
    std::vector<echo::EchoReply> take()
    {
        std::vector<echo::EchoReply> out;
        echo::EchoReply r;
        while (svc->take_completion(&r)) out.push_back(r);
        return out;
    }
    const ServiceKind* kind;
    std::vector<u8> cfg;
    FakeEnv env;
    void* storage = nullptr;
    Service* svc = nullptr;
};
} // namespace

TEST_CASE("echo: requests answered in order, stamped when posted and when answered")
{
    Running e;
    e.env.clock.now = 1000;
    for (u64 id = 1; id <= 3; ++id) CHECK(e.post(id * 10));
    e.env.clock.now = 5000;
    CHECK(e.svc->step(64).work_units == 3);
    const auto replies = e.take();
    REQUIRE(replies.size() == 3);
    for (u64 i = 0; i < 3; ++i) {
        CHECK(replies[i].id == (i + 1) * 10);
        CHECK(replies[i].posted == 1000);
        CHECK(replies[i].answered == 5000);
        CHECK(replies[i].seq == i + 1);
    }
    CompletionSummary s{};
    e.kind->channels.summarize(&replies[0], e.env.clock.khz(), &s);
    CHECK(s.err_ns == (5000 - 1000) * 1000000ull / e.env.clock.khz());
    CHECK(s.periods == 1);
    CHECK(stat(*e.svc, "replies") == 3);
}

TEST_CASE("echo: full rings refuse or count, never overwrite, the reader sees the gap")
{
    Running e;
    u32 posted = 0;
    while (e.post(posted)) ++posted;
    CHECK(posted == echo::kRequestRingSize); // the request ring refuses the next one
    // Five rounds of a full request ring without a reader: 320 replies for 256 slots.
    for (int round = 0; round < 5; ++round) {
        while (e.svc->step(256).work_units) {}
        for (u32 i = 0; i < echo::kRequestRingSize; ++i) CHECK(e.post(i));
    }
    while (e.svc->step(256).work_units) {}
    CHECK(stat(*e.svc, "replies_dropped") == 6 * echo::kRequestRingSize - echo::kReplyRingSize);
    const auto replies = e.take();
    REQUIRE(replies.size() == echo::kReplyRingSize);
    CHECK(replies.front().seq == 1);
    CHECK(replies.back().seq == echo::kReplyRingSize); // the later ones were dropped, not the earlier
}

TEST_CASE("echo: reads the OS statistics page when a new sample is published")
{
    Running e;
    REQUIRE(e.kind->channels.os_stats);
    OsStatsPage* page = e.svc->os_stats_page();
    REQUIRE(page);
    OsStats v{};
    v.cpu_count = 3;
    os_stats_publish(page, v);
    e.svc->step(8);
    e.svc->step(8); // no new sample: not counted again
    CHECK(stat(*e.svc, "os_samples") == 1);
    CHECK(stat(*e.svc, "os_cpus") == 3);
    v.cpu_count = 5;
    os_stats_publish(page, v);
    e.svc->step(8);
    CHECK(stat(*e.svc, "os_samples") == 2);
    CHECK(stat(*e.svc, "os_cpus") == 5);
}
