// Prefix sets, both ways they come in:
//  - first byte even: the rest is a prefix file. It compiles or is refused; compiled, its image
//    must pass the check the kernel runs, and membership must flip at each start it compiled to;
//  - first byte odd: the rest are edits (region, position, 32-bit value) to a valid image of
//    nested prefixes of both families: an image as a hostile user space could hand the module
//    (an image is over 256 KiB, too large to fuzz whole). Whatever the check accepts, lookups
//    anywhere in it must stay inside it (ASan); with no edit, it must be accepted.
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "lib/prefix_set/compile.h"
#include "model/prefix_set.h"

using namespace offsched;

namespace {

void lookups(const void* image)
{
    const PrefixSetImage& img = *static_cast<const PrefixSetImage*>(image);
    for (u32 i = 0; i < img.set_count; ++i) {
        PrefixSetView v;
        if (!prefix_set_find(image, img.sets[i].name, &v)) std::abort(); // the check ensured names end
        for (u32 k = 0; k < 64; ++k) {
            const u32 a = k * 0x04040404u + 0x7f;
            const u64 a6[2] = {u64{a} << 32 | a, ~u64{a}};
            (void)prefix_set_contains_v4(v, a);
            (void)prefix_set_contains_v6(v, a6);
        }
        (void)prefix_set_contains_v4(v, 0);
        (void)prefix_set_contains_v4(v, ~0u);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1) return 0;
    if (data[0] % 2 == 0) {
        const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
        prefix_sets::CompiledSet s;
        prefix_sets::CompileError err;
        if (!prefix_sets::compile_prefix_set("fuzz", text, &s, &err)) {
            if (err.line < 0 || err.message.empty()) std::abort(); // a refusal always says where and why
            return 0;
        }
        const std::vector<u8> img = prefix_sets::build_image({s});
        std::vector<u64> words(img.size() / 8 + 1);
        std::memcpy(words.data(), img.data(), img.size());
        const char* why = nullptr;
        if (!prefix_set_image_check(words.data(), img.size(), &why)) std::abort(); // the module would refuse it
        PrefixSetView v;
        if (!prefix_set_find(words.data(), "fuzz", &v)) std::abort();
        // Start i enters the set when i is even and leaves it when odd; the address before it is
        // on the other side.
        for (size_t i = 0; i < s.keys4.size(); ++i) {
            if (prefix_set_contains_v4(v, s.keys4[i]) != (i % 2 == 0)) std::abort();
            if (s.keys4[i] && prefix_set_contains_v4(v, s.keys4[i] - 1) != (i % 2 == 1)) std::abort();
        }
        for (size_t i = 0; i < s.keys6.size() / 2; ++i)
            if (prefix_set_contains_v6(v, &s.keys6[2 * i]) != (i % 2 == 0)) std::abort();
        lookups(words.data());
        return 0;
    }
    static const std::vector<u8> base = [] {
        prefix_sets::CompiledSet s;
        prefix_sets::CompileError err;
        if (!prefix_sets::compile_prefix_set("base", "10.0.0.0/8\n!10.1.0.0/16\n10.1.2.0/24\n!10.1.2.9\n192.0.2.0-192.0.2.77\n"
                                                     "2001:db8::/32\n2001:db8:1::/48\n2001:db8:1::5\n",
                                             &s, &err))
            std::abort();
        return prefix_sets::build_image({s});
    }();
    std::vector<u64> words(base.size() / 8 + 1, 0);
    u8* bytes = reinterpret_cast<u8*>(words.data());
    std::memcpy(bytes, base.data(), base.size());
    // Each edit: a region, a position in it, a 32-bit value written there. The regions are where
    // the structure is: the header, the populated buckets' index entries, the keys and labels.
    const PrefixSetDesc& d = reinterpret_cast<const PrefixSetImage*>(base.data())->sets[0];
    const u64 regions[][2] = {{0, sizeof(PrefixSetImage)},
                              {d.v4.index_offset + 0x0a00 * 4, 4 * 4},
                              {d.v6.index_offset + 0x2001 * 4, 2 * 4},
                              {d.v4.index_offset + kPrefixSetBuckets * 4, 4},
                              {d.v4.keys_offset, u64{d.v4.starts} * 2},
                              {d.v6.keys_offset, u64{d.v6.starts} * 16},
                              {0, base.size()}};
    constexpr size_t kRegions = sizeof regions / sizeof regions[0];
    for (size_t at = 1; at + 7 <= size; at += 7) {
        const auto& r = regions[data[at] % kRegions];
        u16 pos;
        std::memcpy(&pos, data + at + 1, 2);
        const u64 where = r[0] + (r[1] >= 4 ? pos % (r[1] - 3) : 0);
        std::memcpy(bytes + where, data + at + 3, 4);
    }
    const bool ok = prefix_set_image_check(words.data(), base.size(), nullptr);
    if (size < 8 && !ok) std::abort(); // the untouched image is valid
    if (ok) lookups(words.data());
    return 0;
}
