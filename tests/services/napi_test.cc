// Offloaded NAPI: GRO-like merging (checksummed merged frames, byte stream preserved), the
// conditions that end a batch, RFS/hash steering, doorbells, malformed frames, validate().
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "config_helpers.h"
#include "fakes.h"
#include "services/napi/napi.h"
#include "services/net/build.h"
#include "services/net/byte_order.h"
#include "services/net/headers.h"
#include "services/net/parse.h"

using namespace offsched;
using namespace offsched::test;

namespace {
constexpr u32 kSrc = 0xc6336401; // 198.51.100.1

// A data segment whose payload bytes encode their stream position ((seq + i) & 0xff).
Bytes seg(u32 seq, u16 len, u16 sport = 5000, u8 flags = net::kTcpAck, u16 mss_opt = 0)
{
    net::TcpSpec s{};
    s.addr.src_mac[5] = 1;
    s.addr.dst_mac[5] = 0xaa;
    s.addr.src_ip = kSrc;
    s.addr.dst_ip = net::ipv4(10, 0, 0, 1);
    s.addr.src_port = sport;
    s.addr.dst_port = 443;
    s.seq = seq;
    s.ack = 777;
    s.flags = flags;
    s.window = 1000;
    s.mss = mss_opt;
    s.wscale = 0xff;
    std::vector<u8> payload(len);
    for (u16 i = 0; i < len; ++i) payload[i] = static_cast<u8>(seq + i);
    s.payload = payload.data();
    s.payload_len = len;
    Bytes f(net::tcp_frame_len(s));
    REQUIRE(net::build_tcp(s, f.data(), static_cast<u16>(f.size())) == f.size());
    return f;
}

struct NapiFixture {
    explicit NapiFixture(u32 max_segs = 44, u32 max_bytes = 65535, u32 cpus = 4, u32 host_max = 65535) : e(1, cpus)
    {
        e.host.max_len = host_max;
        Napi::defaults(cfg);
        cfg.max_batch_segments = max_segs;
        cfg.max_batch_bytes = max_bytes;
        cfg.coalesce_ns = 0; // every step polls: these cases are about merging, not pacing
        ConfigError err;
        REQUIRE(Napi::validate(cfg, err));
        n = std::make_unique<Napi>(e.env, cfg);
    }
    // All frames the OS received, in ring order per cpu, parsed.
    std::vector<std::pair<Bytes, net::ParsedFrame>> received()
    {
        std::vector<std::pair<Bytes, net::ParsedFrame>> out;
        for (auto& ring : e.host.rings)
            for (auto& f : ring) {
                net::ParsedFrame p;
                REQUIRE(net::parse_frame(f.data(), static_cast<u16>(f.size()), &p) == net::ParseError::Ok);
                REQUIRE(net::l4_checksum_ok(f.data(), p));
                out.emplace_back(f, p);
            }
        return out;
    }
    FakeEnv e;
    Napi::Config cfg;
    std::unique_ptr<Napi> n;
};

// Checks the payload bytes of a flow's frames form one contiguous stream from `seq0`.
void check_stream(const std::vector<std::pair<Bytes, net::ParsedFrame>>& got, u32 seq0, u32 total)
{
    u32 seq = seq0;
    for (auto& [f, p] : got) {
        REQUIRE(p.seq == seq);
        for (u16 i = 0; i < p.payload_len; ++i) REQUIRE(f[p.payload_offset + i] == static_cast<u8>(seq + i));
        seq += p.payload_len;
    }
    CHECK(seq - seq0 == total);
}
} // namespace

TEST_CASE_METHOD(NapiFixture, "consecutive segments of a flow merge into one checksummed frame")
{
    for (u32 i = 0; i < 10; ++i) e.queues[0].push(seg(1000 + i * 1000, 1000));
    const StepResult r = n->step(64);
    CHECK(r.packets == 10);
    CHECK(r.work_units == 1);
    auto got = received();
    REQUIRE(got.size() == 1);
    CHECK(got[0].second.payload_len == 10000);
    CHECK(got[0].second.ip_total_len == 20 + 20 + 10000);
    check_stream(got, 1000, 10000);
    CHECK(stat(*n, "batches") == 1);
    CHECK(stat(*n, "coalesced") == 10);
    CHECK(stat(*n, "passed") == 1);
    CHECK(stat(*n, "frames") == 10);
}

TEST_CASE_METHOD(NapiFixture, "interleaved flows each get their own batch")
{
    for (u32 i = 0; i < 3; ++i) {
        e.queues[0].push(seg(100 + i * 10, 10, 5000));
        e.queues[0].push(seg(900 + i * 20, 20, 6000));
    }
    n->step(64);
    auto got = received();
    CHECK(stat(*n, "batches") == 2);
    u32 total = 0;
    for (auto& [f, p] : got) total += p.payload_len;
    CHECK(total == 90);
}

TEST_CASE_METHOD(NapiFixture, "a sequence gap, PSH, a FIN and differing options end a batch")
{
    e.queues[0].push(seg(0, 100));
    e.queues[0].push(seg(100, 100));
    e.queues[0].push(seg(300, 100)); // gap: new batch
    e.queues[0].push(seg(400, 100, 5000, net::kTcpAck | net::kTcpPsh)); // joins, then closes
    e.queues[0].push(seg(500, 100));
    e.queues[0].push(seg(600, 100, 5000, net::kTcpAck | net::kTcpFin)); // not mergeable
    e.queues[0].push(seg(700, 100, 5000, net::kTcpAck, 1460));          // other options
    e.queues[0].push(seg(800, 100));
    n->step(64);
    auto got = received();
    std::vector<u32> seqs, lens;
    for (auto& [f, p] : got) {
        seqs.push_back(p.seq);
        lens.push_back(p.payload_len);
    }
    CHECK(seqs == std::vector<u32>{0, 300, 500, 600, 700, 800});
    CHECK(lens == std::vector<u32>{200, 200, 100, 100, 100, 100});
    CHECK((got[1].second.tcp_flags & net::kTcpPsh) != 0);
}

TEST_CASE("segment and byte limits split a run into batches")
{
    NapiFixture a(4);
    for (u32 i = 0; i < 10; ++i) a.e.queues[0].push(seg(i * 100, 100));
    a.n->step(64);
    auto got = a.received();
    REQUIRE(got.size() == 3);
    CHECK(got[0].second.payload_len == 400);
    CHECK(got[2].second.payload_len == 200);
    check_stream(got, 0, 1000);
    CHECK(stat(*a.n, "flush_limit") == 2);

    NapiFixture b(44, 2000);
    for (u32 i = 0; i < 6; ++i) b.e.queues[0].push(seg(i * 1000, 1000));
    b.n->step(64);
    auto got_b = b.received();
    for (auto& [f, p] : got_b) CHECK(f.size() <= 2000);
    check_stream(got_b, 0, 6000);
}

TEST_CASE("merged frames never exceed what the host path carries (the kernel's 1518-byte ring slots)")
{
    // Default config (merges up to 65535 bytes) on a host path that carries standard frames only.
    NapiFixture k(44, 65535, 4, kMaxFrameLen);
    for (u32 i = 0; i < 12; ++i) k.e.queues[0].push(seg(i * 500, 500));
    k.n->step(64);
    auto got = k.received();
    for (auto& [f, p] : got) CHECK(f.size() <= kMaxFrameLen);
    check_stream(got, 0, 6000); // nothing lost: 500-byte segments merge in twos, never beyond
    CHECK(got.size() == 6);
    CHECK(stat(*k.n, "passed") == got.size());
}

TEST_CASE_METHOD(NapiFixture, "more flows than batch slots evicts the oldest batch")
{
    for (u32 round = 0; round < 2; ++round)
        for (u16 flow = 0; flow < 9; ++flow) e.queues[0].push(seg(round * 10, 10, static_cast<u16>(7000 + flow)));
    n->step(64);
    CHECK(stat(*n, "flush_evict") > 0);
    u32 total = 0;
    for (auto& [f, p] : received()) total += p.payload_len;
    CHECK(total == 180);
}

TEST_CASE_METHOD(NapiFixture, "RFS table steers a flow, without an entry the hash decides")
{
    const net::FlowKey k{kSrc, net::ipv4(10, 0, 0, 1), 5000, 443, net::kIpProtoTcp};
    store_relaxed(&n->rfs_table()[n->rfs_slot(k)], u16{2});
    e.queues[0].push(seg(0, 10));
    e.queues[0].push(seg(50, 10)); // gap: two frames, same cpu
    n->step(64);
    CHECK(e.host.rings[2].size() == 2);
    CHECK(stat(*n, "steered_rfs") == 2);
    CHECK(e.host.doorbells[2] == 1);

    store_relaxed(&n->rfs_table()[n->rfs_slot(k)], Napi::kRfsUnset);
    e.queues[0].push(seg(100, 10));
    n->step(64);
    CHECK(stat(*n, "steered_hash") == 1);
}

TEST_CASE_METHOD(NapiFixture, "malformed frames are dropped, non-IP frames pass unchanged")
{
    auto good = seg(0, 10);
    e.queues[0].push(Bytes(good.begin(), good.begin() + 40));
    auto arp = good;
    net::store_be16(arp.data() + 12, net::kEtherTypeArp);
    e.queues[0].push(arp);
    n->step(64);
    CHECK(stat(*n, "dropped_malformed") == 1);
    CHECK(stat(*n, "non_ip") == 1);
    CHECK(e.host.total() == 1);
}

TEST_CASE("napi config validation names the field")
{
    CHECK(rejected_after<Napi>([](Napi::Config&) {}) == "accepted");
    CHECK(rejected_after<Napi>([](Napi::Config& c) { c.max_batch_bytes = 1000; }) == "max_batch_bytes");
    CHECK(rejected_after<Napi>([](Napi::Config& c) {
              c.max_batch_bytes = 1000;
              c.max_batch_segments = 1; // no coalescing: a small limit is fine
          }) == "accepted");
    CHECK(rejected_after<Napi>([](Napi::Config& c) { c.max_batch_segments = 0; }) == "max_batch_segments");
}

TEST_CASE("coalesce_ns: after a partial burst the queues fill for the period, one frame, one doorbell per batch")
{
    FakeEnv e(1, 4); // 1 MHz clock: 20 us = 20 cycles
    Napi::Config cfg;
    Napi::defaults(cfg);
    REQUIRE(cfg.coalesce_ns == 20000);
    auto n = std::make_unique<Napi>(e.env, cfg);
    auto doorbells = [&] {
        u32 d = 0;
        for (u32 c : e.host.doorbells) d += c;
        return d;
    };
    e.queues[0].push(seg(0, 100));
    e.queues[0].push(seg(100, 100));
    CHECK(n->step(64).packets == 2); // the first frames after a quiet period go at once
    CHECK(e.host.total() == 1);
    CHECK(doorbells() == 1);
    for (u32 i = 2; i < 5; ++i) e.queues[0].push(seg(i * 100, 100));
    CHECK(n->step(64).packets == 0); // a partial burst: the rings fill for 20 us
    e.clock.now += 19;
    CHECK(n->step(64).packets == 0);
    CHECK(e.queues[0].pending.size() == 3);
    e.clock.now += 1;
    CHECK(n->step(64).packets == 3);
    CHECK(e.host.total() == 2); // the three segments left as one merged frame...
    CHECK(doorbells() == 2);    // ...with one doorbell
    CHECK(stat(*n, "coalesced") == 5);

    // A poll that finds nothing does not wait, and a full burst is followed by another poll at once.
    e.clock.now += 20;
    CHECK(n->step(64).packets == 0);
    for (u32 i = 0; i < 64 + 10; ++i) e.queues[0].push(seg(1000 + i * 10, 10, 6000));
    CHECK(n->step(64).packets == 64);
    CHECK(n->step(64).packets == 10);
}
