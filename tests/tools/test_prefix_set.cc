// Prefix sets: the file format's refusals (with their lines), longest-prefix membership against a
// brute-force reference, the image check the kernel relies on, and the loader that appends the
// image to a firewall config.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <fmt/format.h>

#include "lib/prefix_set/compile.h"
#include "model/service.h"
#include "services/registry.h"
#include "tools/lib/prefix_set_files.h"
#include "tools/lib/service_config.h"

using namespace offsched;
using prefix_sets::CompiledSet;
using prefix_sets::CompileError;

namespace {

struct Image {
    std::vector<uint64_t> words; // 8-byte aligned, as backends hold it
    uint64_t bytes = 0;
    const void* data() const { return words.data(); }
};

Image image_of(const std::vector<CompiledSet>& sets)
{
    const std::vector<uint8_t> img = prefix_sets::build_image(sets);
    Image out;
    out.words.resize((img.size() + 7) / 8);
    std::memcpy(out.words.data(), img.data(), img.size());
    out.bytes = img.size();
    return out;
}

CompiledSet compiled(const std::string& text)
{
    CompiledSet s;
    CompileError err;
    INFO(text);
    REQUIRE(prefix_sets::compile_prefix_set("set.txt", text, &s, &err));
    return s;
}

CompileError refusal(const std::string& text)
{
    CompiledSet s;
    CompileError err;
    CHECK_FALSE(prefix_sets::compile_prefix_set("set.txt", text, &s, &err));
    return err;
}

uint32_t v4(const char* dotted)
{
    unsigned a, b, c, d;
    REQUIRE(std::sscanf(dotted, "%u.%u.%u.%u", &a, &b, &c, &d) == 4);
    return a << 24 | b << 16 | c << 8 | d;
}

struct Loaded {
    Image img;
    PrefixSetView view;
};

Loaded load(const std::string& text)
{
    Loaded l;
    l.img = image_of({compiled(text)});
    const char* why = "";
    INFO(why);
    REQUIRE(prefix_set_image_check(l.img.data(), l.img.bytes, &why));
    REQUIRE(prefix_set_find(l.img.data(), "set.txt", &l.view));
    return l;
}

std::filesystem::path temp_dir()
{
    const auto d = std::filesystem::temp_directory_path() / "offsched-prefix-set-test";
    std::filesystem::create_directories(d);
    return d;
}

std::string write(const std::string& name, const std::string& text)
{
    const auto p = temp_dir() / name;
    std::ofstream(p) << text;
    return p.string();
}

} // namespace

TEST_CASE("prefix set: the narrowest entry covering an address decides, at every boundary")
{
    const Loaded l = load("# bogons\n"
                          "10.0.0.0/8\n"
                          "!10.1.0.0/16   # not this part of line 2\n"
                          "10.1.2.0/24\n"
                          "\n"
                          "192.0.2.7\n"
                          "198.51.100.10 - 198.51.100.20\n"
                          "!198.51.100.15\n"
                          "2001:db8::/32\n"
                          "!2001:db8:1::/48\n");
    const PrefixSetView& s = l.view;
    CHECK_FALSE(prefix_set_contains_v4(s, v4("9.255.255.255")));
    CHECK(prefix_set_contains_v4(s, v4("10.0.0.0")));
    CHECK(prefix_set_contains_v4(s, v4("10.0.255.255")));
    CHECK_FALSE(prefix_set_contains_v4(s, v4("10.1.0.0")));
    CHECK_FALSE(prefix_set_contains_v4(s, v4("10.1.1.255")));
    CHECK(prefix_set_contains_v4(s, v4("10.1.2.0")));
    CHECK(prefix_set_contains_v4(s, v4("10.1.2.255")));
    CHECK_FALSE(prefix_set_contains_v4(s, v4("10.1.3.0")));
    CHECK_FALSE(prefix_set_contains_v4(s, v4("10.1.255.255")));
    CHECK(prefix_set_contains_v4(s, v4("10.2.0.0")));
    CHECK(prefix_set_contains_v4(s, v4("10.255.255.255")));
    CHECK_FALSE(prefix_set_contains_v4(s, v4("11.0.0.0")));
    CHECK_FALSE(prefix_set_contains_v4(s, v4("192.0.2.6")));
    CHECK(prefix_set_contains_v4(s, v4("192.0.2.7")));
    CHECK_FALSE(prefix_set_contains_v4(s, v4("192.0.2.8")));
    CHECK_FALSE(prefix_set_contains_v4(s, v4("198.51.100.9")));
    CHECK(prefix_set_contains_v4(s, v4("198.51.100.10")));
    CHECK(prefix_set_contains_v4(s, v4("198.51.100.14")));
    CHECK_FALSE(prefix_set_contains_v4(s, v4("198.51.100.15")));
    CHECK(prefix_set_contains_v4(s, v4("198.51.100.16")));
    CHECK(prefix_set_contains_v4(s, v4("198.51.100.20")));
    CHECK_FALSE(prefix_set_contains_v4(s, v4("198.51.100.21")));
    const uint64_t in48[2] = {0x20010db800010000ull, 5}, in32[2] = {0x20010db8ffff0000ull, 0},
                   out[2] = {0x20010db900000000ull, 0}, low[2] = {0x20010db7ffffffffull, ~0ull};
    CHECK_FALSE(prefix_set_contains_v6(s, in48));
    CHECK(prefix_set_contains_v6(s, in32));
    CHECK_FALSE(prefix_set_contains_v6(s, out));
    CHECK_FALSE(prefix_set_contains_v6(s, low));
}

TEST_CASE("prefix set: the ends of the address space and an empty file")
{
    const Loaded l = load("0.0.0.0/1\n255.255.255.255\n::/0\n!::\n");
    CHECK(prefix_set_contains_v4(l.view, 0));
    CHECK(prefix_set_contains_v4(l.view, 0x7fffffff));
    CHECK_FALSE(prefix_set_contains_v4(l.view, 0x80000000));
    CHECK_FALSE(prefix_set_contains_v4(l.view, 0xfffffffe));
    CHECK(prefix_set_contains_v4(l.view, 0xffffffff));
    const uint64_t top[2] = {~0ull, ~0ull}, zero[2] = {0, 0}, one[2] = {0, 1};
    CHECK(prefix_set_contains_v6(l.view, top));
    CHECK_FALSE(prefix_set_contains_v6(l.view, zero));
    CHECK(prefix_set_contains_v6(l.view, one));
    const Loaded empty = load("# nothing listed today\n");
    CHECK_FALSE(prefix_set_contains_v4(empty.view, v4("10.0.0.1")));
    CHECK_FALSE(prefix_set_contains_v6(empty.view, top));
}

TEST_CASE("prefix set: lookups agree with a linear longest-prefix scan over 20,000 random prefixes and exclusions")
{
    std::mt19937_64 rng(7);
    std::string text;
    struct P {
        uint32_t addr, len;
        bool exclude;
    };
    std::vector<P> ps;
    std::set<std::pair<uint32_t, uint32_t>> seen;
    while (ps.size() < 20000) {
        // Clustered in a few /8s so prefixes nest, at every length; a fifth of them exclusions.
        const uint32_t len = 8 + rng() % 25;
        const uint32_t addr = ((10 + rng() % 3) << 24 | (rng() & 0x00ffffff)) & (len ? ~0u << (32 - len) : 0);
        if (!seen.insert({addr, len}).second) continue;
        const bool exclude = rng() % 5 == 0;
        ps.push_back({addr, len, exclude});
        text += fmt::format("{}{}.{}.{}.{}/{}\n", exclude ? "!" : "", addr >> 24, addr >> 16 & 255, addr >> 8 & 255,
                            addr & 255, len);
    }
    const Loaded l = load(text);
    uint32_t in = 0, excluded = 0;
    for (int i = 0; i < 200000; ++i) {
        const uint32_t a = (10 + rng() % 4) << 24 | (rng() & 0x00ffffff);
        const P* best = nullptr;
        for (const P& p : ps)
            if ((a & ~0u << (32 - p.len)) == p.addr && (!best || p.len > best->len)) best = &p;
        const bool want = best && !best->exclude;
        in += want;
        excluded += best && best->exclude;
        REQUIRE(prefix_set_contains_v4(l.view, a) == want);
    }
    CHECK(in > 1000);       // the check ran on members,
    CHECK(excluded > 100);  // on excluded addresses inside members, and on the rest
}

TEST_CASE("prefix set: every bad line is refused with its line and the reason")
{
    CHECK(refusal("10.0.0.0/8\nbanana\n").line == 2);
    const CompileError host = refusal("10.0.0.1/8\n");
    CHECK(host.line == 1);
    CHECK_THAT(host.message, Catch::Contains("10.0.0.0/8"));
    const CompileError col = refusal("  10.0.0.0/33\n");
    CHECK(col.column == 3);
    CHECK_THAT(refusal("10.0.0.1 - 2001:db8::1\n").message, Catch::Contains("mix IPv4 and IPv6"));
    CHECK_THAT(refusal("10.0.0.9-10.0.0.1\n").message, Catch::Contains("backwards"));
    CHECK_THAT(refusal("10.0.0.0/24-10.0.1.0\n").message, Catch::Contains("without a length"));
    CHECK_THAT(refusal("any\n").message, Catch::Contains("not an entry"));
    const CompileError dup = refusal("# list\n10.0.0.0/8\n192.0.2.0/24\n10.0.0.0/8\n");
    CHECK(dup.line == 4);
    CHECK_THAT(dup.message, Catch::Contains("duplicates line 2"));
    CHECK_THAT(refusal("10.0.0.0-10.0.0.255\n10.0.0.0/24\n").message, Catch::Contains("duplicates line 1"));
    CHECK_THAT(refusal("10.0.0.0/8\n!10.0.0.0/8\n").message, Catch::Contains("duplicates line 1")); // in and out at once
    CHECK(refusal("10.0.0.0/8\n!\n").line == 2);
    const CompileError overlap = refusal("10.0.0.5-10.0.0.20\n10.0.0.16/28\n");
    CHECK(overlap.line == 2);
    CHECK_THAT(overlap.message, Catch::Contains("overlaps line 1"));
    const CompileError later = refusal("10.0.0.16/28\n10.0.0.5-10.0.0.20\n"); // the later line is the one named
    CHECK(later.line == 2);
    CHECK_THAT(later.message, Catch::Contains("overlaps line 1"));
    const CompileError cut = refusal("10.0.0.0/8\n192.0.2");
    CHECK(cut.line == 2);
    CHECK_THAT(cut.message, Catch::Contains("truncated"));
}

TEST_CASE("prefix set: 1,000,000 entries load, the 1,000,001st is refused")
{
    std::string text;
    text.reserve(16u << 20);
    for (uint32_t i = 0; i < kMaxPrefixSetEntries; ++i) // /32s spread over the whole space
        text += fmt::format("{}.{}.{}.{}\n", (i * 4099u) >> 24 & 255, (i * 4099u) >> 16 & 255, (i * 4099u) >> 8 & 255,
                            (i * 4099u) & 255);
    const Loaded l = load(text);
    CHECK(prefix_set_contains_v4(l.view, 4099u * 999999u));
    CHECK_FALSE(prefix_set_contains_v4(l.view, 4099u * 999999u + 1));
    CHECK(l.img.bytes <= sizeof(PrefixSetImage) + 8 + kPrefixSetIndexBytes + 8 + kMaxPrefixSetEntries * kPrefixSetBytesV4);
    const CompileError over = refusal(text + "2001:db8::1\n");
    CHECK(over.line == 1000001);
    CHECK_THAT(over.message, Catch::Contains("more than 1000000 entries"));
}

TEST_CASE("prefix set image: the check refuses what a lookup could not survive")
{
    Loaded l = load("10.0.0.0/8\n!10.1.0.0/16\n10.1.2.0/24\n2001:db8::/32\n"); // 10.1/16's bucket: 3 starts
    const char* why = "";
    PrefixSetImage& head = *reinterpret_cast<PrefixSetImage*>(l.img.words.data());
    auto refused = [&](const char* expect) {
        why = "";
        const bool ok = prefix_set_image_check(l.img.data(), l.img.bytes, &why);
        INFO(why);
        CHECK_FALSE(ok);
        CHECK_THAT(std::string(why), Catch::Contains(expect));
    };
    REQUIRE(prefix_set_image_check(l.img.data(), l.img.bytes, &why));
    CHECK_FALSE(prefix_set_image_check(l.img.data(), l.img.bytes - 8, &why));
    CHECK_FALSE(prefix_set_image_check(l.img.data(), 16, &why));

    const PrefixSetImage saved = head;
    head.magic ^= 1;
    refused("not a prefix set image");
    head = saved;
    head.sets[0].v4.keys_offset = l.img.bytes - 4;
    refused("outside the image");
    head = saved;
    head.sets[0].v6.index_offset = ~0ull - 3;
    refused("outside the image");
    head = saved;
    head.sets[0].name[kPrefixSetNameMax - 1] = 'x';
    std::memset(head.sets[0].name, 'x', kPrefixSetNameMax);
    refused("not terminated");
    head = saved;
    head.sets[0].v4.starts = 0xffffffff;
    refused("more interval starts");
    head = saved;
    uint8_t* base = reinterpret_cast<uint8_t*>(l.img.words.data());
    uint16_t* keys4 = reinterpret_cast<uint16_t*>(base + saved.sets[0].v4.keys_offset);
    const uint16_t k2 = keys4[2];
    keys4[2] = keys4[3]; // 10.1.2.0 and 10.1.3.0 in one bucket: now equal
    refused("strictly increasing");
    keys4[2] = k2;
    uint64_t* keys6 = reinterpret_cast<uint64_t*>(base + saved.sets[0].v6.keys_offset);
    const uint64_t h0 = keys6[0];
    keys6[0] -= 1ull << 48; // still increasing, but outside its bucket
    refused("wrong bucket");
    keys6[0] = h0;
    uint32_t* index4 = reinterpret_cast<uint32_t*>(base + saved.sets[0].v4.index_offset);
    index4[kPrefixSetBuckets] += 1; // one start more than the table has
    refused("does not span");
    index4[kPrefixSetBuckets] -= 1;
    const uint32_t i2 = index4[0x0a02];
    index4[0x0a02] = index4[0x0a01] - 1; // 10.1/16's bucket would end before it starts
    refused("decreases");
    index4[0x0a02] = i2;
    const uint32_t i1 = index4[0x0a01];
    index4[0x0a01] = saved.sets[0].v4.starts + 4000; // a bucket reaching past the table (ASan: read nothing)
    refused("decreases");
    index4[0x0a01] = i1;
    CHECK(prefix_set_image_check(l.img.data(), l.img.bytes, &why));
}

TEST_CASE("a firewall config naming a prefix file carries the compiled set, and a bad file names its line")
{
    const ServiceKind& fw = *find_service("firewall");
    write("blocklist.txt", "# feed\n203.0.113.0/24\n2001:db8:bad::/48\n");
    const std::string cfg = write("fw.yaml", "rules:\n"
                                             "  - {src_set: blocklist.txt, action: drop}\n"
                                             "  - {src_set: blocklist.txt, proto: tcp, action: drop}\n");
    const std::vector<uint8_t> blob = tools::load_service_config_file(fw, cfg);
    REQUIRE(blob.size() > fw.config_size);
    const ConfigData data = config_data(blob.data(), fw.config_size, blob.size());
    const char* why = "";
    CHECK(schema_check_data(fw.schema, blob.data(), data.image, data.bytes, nullptr, &why) == nullptr);
    const std::vector<std::string> lines = tools::describe_prefix_sets(fw.config_size, blob);
    REQUIRE(lines.size() == 1); // named twice, compiled once
    CHECK_THAT(lines[0], Catch::Contains("prefix set 'blocklist.txt': 2 entries (1 IPv4, 1 IPv6)"));
    // The blob without its image names a set it lacks.
    CHECK(schema_check_data(fw.schema, blob.data(), nullptr, 0, nullptr, &why) != nullptr);

    write("bad.txt", "203.0.113.0/24\n203.0.113.9/24\n");
    const std::string bad = write("fw-bad.yaml", "rules:\n  - {src_set: bad.txt, action: drop}\n");
    try {
        tools::load_service_config_file(fw, bad);
        FAIL("a host part set beyond the length was accepted");
    } catch (const tools::InputError& e) {
        CHECK(e.where().file == (temp_dir() / "bad.txt").string());
        CHECK(e.where().line == 2);
        CHECK(e.field() == "rules[0].src_set");
    }
    const std::string missing = write("fw-missing.yaml", "rules:\n  - action: drop\n  - {src_set: nowhere.txt, action: drop}\n");
    try {
        tools::load_service_config_file(fw, missing);
        FAIL("a missing prefix file was accepted");
    } catch (const tools::InputError& e) {
        CHECK(e.where().file == missing);
        CHECK(e.where().line == 3);
        CHECK_THAT(e.message(), Catch::Contains("nowhere.txt"));
    }
    std::filesystem::create_directories(temp_dir() / "adir");
    const std::string dir = write("fw-dir.yaml", "rules:\n  - {src_set: adir, action: drop}\n");
    CHECK_THROWS_AS(tools::load_service_config_file(fw, dir), tools::InputError);
}
