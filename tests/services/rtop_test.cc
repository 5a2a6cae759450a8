// rtop: wire format round trip and rejection of garbage/truncation, the seqlock under a
// concurrent writer, and the service end to end (UDP frames on the NIC, decoded back).
#include <catch2/catch.hpp>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "config_helpers.h"
#include "fakes.h"
#include "services/net/byte_order.h"
#include "services/net/headers.h"
#include "services/net/parse.h"
#include "services/rtop/rtop.h"

using namespace offsched;
using namespace offsched::test;
using namespace offsched::rtop;

namespace {
std::vector<u8> sample_datagram(u32 n, u16 first = 0)
{
    Header h{};
    h.seq = 7;
    h.sample = 3;
    h.timestamp_ns = 123456789012ull;
    h.mem_total_kb = 16u << 20;
    h.mem_available_kb = 9u << 20;
    h.first_cpu = first;
    h.total_cpus = static_cast<u16>(first + n);
    std::vector<Record> r(n);
    for (u32 i = 0; i < n; ++i)
        r[i] = Record{static_cast<u16>(first + i), i, 1000ull * i + 1, 2000ull * i, 30ull * i, 40ull * i};
    std::vector<u8> out(kMaxDatagramLen);
    const u32 len = encode(h, r.data(), n, out.data(), static_cast<u32>(out.size()));
    REQUIRE(len == kHeaderLen + n * kRecordLen);
    out.resize(len);
    return out;
}

DecodeError decode_exact(const std::vector<u8>& d, size_t len, Header* h, Record* r, u32 max = kMaxRecordsPerDatagram)
{
    std::vector<u8> copy(d.begin(), d.begin() + static_cast<long>(len));
    return decode(copy.data(), static_cast<u32>(len), h, r, max);
}
} // namespace

TEST_CASE("rtop wire: round trip")
{
    const auto d = sample_datagram(5, 32);
    Header h;
    Record r[kMaxRecordsPerDatagram];
    REQUIRE(decode_exact(d, d.size(), &h, r) == DecodeError::Ok);
    CHECK(h.seq == 7);
    CHECK(h.sample == 3);
    CHECK(h.timestamp_ns == 123456789012ull);
    CHECK(h.mem_total_kb == 16u << 20);
    CHECK(h.first_cpu == 32);
    CHECK(h.record_count == 5);
    CHECK(h.total_cpus == 37);
    CHECK(r[4].cpu == 36);
    CHECK(r[4].nr_running == 4);
    CHECK(r[4].busy_ns == 4001);
    CHECK(r[4].softirq_ns == 160);
    // Spot-check the documented byte layout (docs/SERVICES.md).
    CHECK(d[0] == 'R');
    CHECK(d[3] == 'P');
    CHECK(d[5] == 1);
}

TEST_CASE("rtop wire: every truncation and each malformed field is rejected")
{
    const auto d = sample_datagram(3);
    Header h;
    Record r[kMaxRecordsPerDatagram];
    for (size_t len = 0; len < d.size(); ++len) {
        INFO("len=" << len);
        CHECK(decode_exact(d, len, &h, r) == DecodeError::Truncated);
    }
    auto bad = d;
    bad[0] ^= 1;
    CHECK(decode_exact(bad, bad.size(), &h, r) == DecodeError::BadMagic);
    bad = d;
    bad[5] = 2;
    CHECK(decode_exact(bad, bad.size(), &h, r) == DecodeError::BadVersion);
    bad = d;
    bad[7] = 40;
    CHECK(decode_exact(bad, bad.size(), &h, r) == DecodeError::BadHeaderLen);
    bad = d;
    bad[9] = 41;
    CHECK(decode_exact(bad, bad.size(), &h, r) == DecodeError::BadRecordLen);
    bad = d;
    bad.push_back(0);
    CHECK(decode_exact(bad, bad.size(), &h, r) == DecodeError::TrailingBytes);
    bad = d;
    bad[kHeaderLen + kRecordLen + 1] = 9; // record 1 claims cpu 9
    CHECK(decode_exact(bad, bad.size(), &h, r) == DecodeError::BadCpuIndex);
    bad = d;
    bad[23] = 2; // total_cpus 2 < first_cpu + 3 records
    CHECK(decode_exact(bad, bad.size(), &h, r) == DecodeError::TooManyRecords);
    CHECK(decode_exact(d, d.size(), &h, r, 2) == DecodeError::TooManyRecords); // caller's buffer
}

TEST_CASE("rtop wire: deterministic garbage never decodes and never overreads")
{
    u32 x = 12345;
    u32 accepted = 0;
    for (int i = 0; i < 5000; ++i) {
        std::vector<u8> g(x % 200);
        for (auto& b : g) {
            x = x * 1103515245u + 12345u;
            b = static_cast<u8>(x >> 16);
        }
        if (i % 2 && g.size() >= 4) std::memcpy(g.data(), "RTOP", 4); // get past the magic
        Header h;
        Record r[kMaxRecordsPerDatagram];
        accepted += decode_exact(g, g.size(), &h, r) == DecodeError::Ok;
        x = x * 1103515245u + 12345u;
    }
    CHECK(accepted == 0);
}

TEST_CASE("seqlock: a reader never returns a torn sample while a writer publishes")
{
    auto shared = std::make_unique<OsStatsPage>();
    std::memset(shared.get(), 0, sizeof *shared);
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        OsStats v{};
        for (u64 k = 1; !stop.load(std::memory_order_relaxed); ++k) {
            v.cpu_count = kOsStatsMaxCpus;
            v.mem_total_kb = v.mem_available_kb = k;
            for (auto& c : v.cpus) c = CpuSample{k, k, k, k, static_cast<u32>(k), 0};
            os_stats_publish(shared.get(), v);
            std::this_thread::yield(); // a real publisher writes once per tick, not back to back
        }
    });
    auto snap = std::make_unique<OsStats>();
    u32 ok = 0, torn = 0;
    for (long i = 0; i < 50000000 && ok < 2000; ++i) {
        if (!os_stats_read(shared.get(), snap.get(), 4)) continue;
        ++ok;
        const u64 k = snap->mem_total_kb;
        bool same = snap->mem_available_kb == k;
        for (u32 c = 0; c < snap->cpu_count; ++c)
            same = same && snap->cpus[c].busy_ns == k && snap->cpus[c].softirq_ns == k;
        torn += !same;
    }
    stop = true;
    writer.join();
    CHECK(ok > 0);
    CHECK(torn == 0);
}

namespace {
struct RtopFixture {
    RtopFixture() : e(1, 1, 1000000) // 1 GHz
    {
        Rtop::defaults(cfg);
        std::strcpy(cfg.dst_mac, "02:00:00:00:00:77");
        cfg.dst_ip = net::ipv4(10, 9, 9, 9);
        cfg.dst_port = 9000;
        cfg.interval_ns = 1000000; // 1 ms
        ConfigError err;
        REQUIRE(Rtop::validate(cfg, err));
        svc = std::make_unique<Rtop>(e.env, cfg);
    }
    void publish(u32 cpus)
    {
        OsStats v{};
        v.cpu_count = cpus;
        v.mem_total_kb = 1000;
        v.mem_available_kb = 600;
        for (u32 c = 0; c < cpus; ++c) v.cpus[c] = CpuSample{c * 10ull, c * 20ull, 1, 2, c, 0};
        os_stats_publish(svc->os_stats_page(), v);
    }
    FakeEnv e;
    Rtop::Config cfg;
    std::unique_ptr<Rtop> svc;
};
} // namespace

TEST_CASE_METHOD(RtopFixture, "rtop streams a 40-cpu sample as two decodable UDP datagrams")
{
    publish(40);
    const StepResult r = svc->step(32);
    CHECK(r.work_units == 2);
    REQUIRE(e.queues[0].sent.size() == 2);
    u32 cpus_seen = 0;
    for (u32 i = 0; i < 2; ++i) {
        const Bytes& f = e.queues[0].sent[i];
        net::ParsedFrame p;
        REQUIRE(net::parse_frame(f.data(), static_cast<u16>(f.size()), &p) == net::ParseError::Ok);
        CHECK(net::l4_checksum_ok(f.data(), p));
        CHECK(p.proto == net::kIpProtoUdp);
        CHECK(p.dst_ip == net::ipv4(10, 9, 9, 9));
        CHECK(p.dst_port == 9000);
        CHECK(p.dst_mac[5] == 0x77);
        CHECK(p.src_mac[5] == 0xaa);
        Header h;
        Record rec[kMaxRecordsPerDatagram];
        REQUIRE(decode(f.data() + p.payload_offset, p.payload_len, &h, rec, kMaxRecordsPerDatagram) == DecodeError::Ok);
        CHECK(h.seq == i + 1);
        CHECK(h.sample == 1);
        CHECK(h.total_cpus == 40);
        CHECK(h.mem_available_kb == 600);
        for (u32 k = 0; k < h.record_count; ++k) {
            CHECK(rec[k].busy_ns == rec[k].cpu * 10ull);
            CHECK(rec[k].nr_running == rec[k].cpu);
        }
        cpus_seen += h.record_count;
    }
    CHECK(cpus_seen == 40);
    CHECK(stat(*svc, "samples") == 1);
    CHECK(stat(*svc, "datagrams_sent") == 2);
}

TEST_CASE_METHOD(RtopFixture, "rtop keeps its interval, counts missed ones, discards rx")
{
    publish(4);
    svc->step(32);
    e.clock.now += 999999;
    CHECK(svc->step(32).idle());
    e.clock.now += 1;
    CHECK(svc->step(32).work_units == 1);
    e.clock.now += 3500000; // 3.5 intervals
    svc->step(32);
    CHECK(stat(*svc, "missed_intervals") == 2);
    CHECK(stat(*svc, "samples") == 3);
    e.queues[0].push(Bytes(60, 0));
    CHECK(svc->step(32).packets == 1);
    CHECK(stat(*svc, "rx_discarded") == 1);
}

TEST_CASE_METHOD(RtopFixture, "rtop skips a sample while the writer holds the seqlock")
{
    publish(2);
    os_stats_write_begin(svc->os_stats_page()); // writer stalled mid-update
    svc->step(32);
    CHECK(stat(*svc, "read_failed") == 1);
    CHECK(stat(*svc, "read_retries") == cfg.read_tries - 1);
    CHECK(e.queues[0].sent.empty());
    os_stats_write_end(svc->os_stats_page());
    e.clock.now += 1000000;
    svc->step(32);
    CHECK(e.queues[0].sent.size() == 1);
}

TEST_CASE("rtop config validation names the field")
{
    CHECK(rejected_after<Rtop>([](Rtop::Config&) {}) == "accepted");
    CHECK(rejected_after<Rtop>([](Rtop::Config& c) { std::strcpy(c.dst_mac, "02:00:00:00:00"); }) == "dst_mac");
    CHECK(rejected_after<Rtop>([](Rtop::Config& c) { std::strcpy(c.dst_mac, "02:00:00:00:00:0g"); }) == "dst_mac");
    CHECK(rejected_after<Rtop>([](Rtop::Config& c) { c.dst_ip = 0; }) == "dst_ip");
    CHECK(rejected_after<Rtop>([](Rtop::Config& c) { c.src_ip = 0; }) == "src_ip");
    CHECK(rejected_after<Rtop>([](Rtop::Config& c) { c.interval_ns = 1000; }) == "interval_ns");
    CHECK(rejected_after<Rtop>([](Rtop::Config& c) { c.dst_port = 0; }) == "dst_port");
}
