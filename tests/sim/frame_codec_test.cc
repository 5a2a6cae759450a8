// Frames a polled service reads are real: they parse, their checksums verify (the flood template
// is patched with RFC 1624 updates), and their Toeplitz hash lands on the queue they sit in.
#include <map>

#include "backends/sim/traffic/clients.h"
#include "backends/sim/offload/frame_codec.h"
#include "services/net/parse.h"
#include "tests/sim/in_child.h"
#include "tests/sim/sim_fixture.h"

using namespace simtest;

namespace {
nlohmann::json check_flood_frames(uint32_t dist, uint32_t ipv6_percent = 0)
{
    return in_child([dist, ipv6_percent] {
        SimParams p = default_params();
        p.flood.source_dist = dist;
        p.flood.ipv6_percent = ipv6_percent;
        p.flood.sources = 1024;
        Ledger ledger;
        Rss rss(p.nic.queues, p.nic.rss_indirection);
        Nic nic("nic", NicConfig{p.nic.queues, p.nic.ring_size, 0}, ledger, nullptr);
        Clients clients("clients", p, nic, rss, 1);
        FrameCodec codec(p, rss, clients, 1);
        uint64_t bad_parse = 0, bad_csum = 0, wrong_queue = 0, wrong_hash = 0, frames = 0, ipv6 = 0, outside_net6 = 0;
        std::map<std::pair<uint64_t, uint64_t>, uint64_t> per_source6;
        std::map<uint32_t, uint64_t> per_source;
        for (uint32_t q = 0; q < p.nic.queues; ++q) {
            for (uint64_t k = 0; k < 5000; ++k) {
                uint8_t buf[128];
                uint32_t h = 0;
                Slot s;
                s.kind = PktKind::Flood;
                s.queue = static_cast<uint16_t>(q);
                s.first = k;
                const uint16_t len = codec.build(s, 0, buf, sizeof buf, &h);
                net::ParsedFrame pf;
                ++frames;
                if (net::parse_frame(buf, len, &pf, net::IpFamilies::Ipv4AndIpv6) != net::ParseError::Ok) { ++bad_parse; continue; }
                if (!net::l4_checksum_ok(buf, pf)) ++bad_csum;
                if (pf.ip_version == 6) { // Toeplitz over the IPv6 input, its own key offsets
                    ++ipv6;
                    const uint32_t real6 = rss.addr6_hash(0, pf.src_ip6) ^ rss.addr6_hash(1, pf.dst_ip6) ^
                                           rss.port6_hash(pf.src_port, pf.dst_port);
                    if (real6 != h) ++wrong_hash;
                    if (rss.queue_of_hash(real6) != q) ++wrong_queue;
                    if (!prefix_contains_v6(p.flood.src_net6, pf.src_ip6)) ++outside_net6;
                    ++per_source6[{pf.src_ip6[0], pf.src_ip6[1]}];
                    continue;
                }
                const uint32_t real = rss.hash(pf.src_ip, pf.dst_ip, pf.src_port, pf.dst_port);
                if (real != h) ++wrong_hash;
                if (rss.queue_of_hash(real) != q) ++wrong_queue;
                ++per_source[pf.src_ip - p.flood.src_net.addr];
            }
        }
        uint64_t top = 0; // frames from the 10 % lowest source indices
        for (auto& [idx, n] : per_source)
            if (idx < 1024 / 10) top += n;
        return nlohmann::json{{"frames", frames}, {"bad_parse", bad_parse}, {"bad_csum", bad_csum},
                              {"wrong_hash", wrong_hash}, {"wrong_queue", wrong_queue},
                              {"sources", per_source.size()}, {"top10pct", top}, {"ipv6", ipv6},
                              {"outside_net6", outside_net6}, {"sources6", per_source6.size()}};
    });
}
} // namespace

TEST_CASE("materialised flood frames parse, verify and hash onto their own queue")
{
    auto u = check_flood_frames(0);
    CHECK(u["frames"] == 20000);
    CHECK(u["bad_parse"] == 0);
    CHECK(u["bad_csum"] == 0);
    CHECK(u["wrong_hash"] == 0);
    CHECK(u["wrong_queue"] == 0);
    CHECK(u["sources"].get<uint64_t>() > 1000);                 // uniform: nearly every source used
    CHECK(u["top10pct"].get<uint64_t>() < 20000 * 15 / 100);    // ~10 % from the lowest tenth
    auto z = check_flood_frames(1);
    CHECK(z["bad_csum"] == 0);
    CHECK(z["wrong_queue"] == 0);
    CHECK(z["top10pct"].get<uint64_t>() > 20000 * 50 / 100);    // zipf-like: heavy hitters dominate
}

TEST_CASE("the flood's IPv6 share is real IPv6: it parses, verifies, hashes onto its queue, from src_net6")
{
    auto v = check_flood_frames(0, 30);
    CHECK(v["bad_parse"] == 0);
    CHECK(v["bad_csum"] == 0);
    CHECK(v["wrong_hash"] == 0);
    CHECK(v["wrong_queue"] == 0);
    CHECK(v["outside_net6"] == 0);
    CHECK(v["ipv6"].get<uint64_t>() > 20000 * 27 / 100);
    CHECK(v["ipv6"].get<uint64_t>() < 20000 * 33 / 100);
    CHECK(v["sources6"].get<uint64_t>() > 1000); // the same 1024 sources, as IPv6 addresses
    CHECK(v["sources6"].get<uint64_t>() <= 1024);
    CHECK(check_flood_frames(0)["ipv6"] == 0);
}
