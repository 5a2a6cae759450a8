// Prefix sets: large IPv4/IPv6 address sets (country lists, bogons, abuse feeds) that a config's
// fields name (FieldType::PrefixSet: the path of a file of prefixes and ranges, one per line).
// Hosted tools compile every set a config names into one pointer-free image that travels right
// after the config's POD struct (the config blob); a backend copies the blob once, checks it with
// prefix_set_image_check and never looks inside; the service reads the image in place.
//
// A file's entries may nest (a /24 inside a /8) and an entry may exclude ("!10.1.2.0/24": not
// this part of what contains it): the longest prefix decides, the narrowest entry covering an
// address says whether it is in the set. Compiled, each family of a set is the sorted list of the
// addresses where membership changes; the address space starts outside the set, so an address is
// in it when an odd number of those starts lie at or below it. An entry adds at most two starts,
// so memory is bounded per entry (kPrefixSetBytesV4, kPrefixSetBytesV6, plus a fixed bucket index
// per family present). A lookup takes the address's top 16 bits as a bucket and binary-searches
// that bucket's starts only: its cost is bounded by how many starts share the address's /16,
// never by the set's size (an IPv4 /16 holds at most 65,536 starts: 17 steps).
#pragma once

#include "model/types.h"

namespace offsched {

constexpr u32 kPrefixSetMagic = 0x5350534f; // "OSPS"
constexpr u32 kPrefixSetVersion = 2;
constexpr u32 kMaxPrefixSets = 8;            // distinct sets one config may name
constexpr u32 kPrefixSetNameMax = 128;       // with the NUL: the path as the config writes it
constexpr u32 kMaxPrefixSetEntries = 1000000; // lines with an entry, per set
constexpr u32 kPrefixSetBucketBits = 16;
constexpr u32 kPrefixSetBuckets = 1u << kPrefixSetBucketBits;
// Bytes per entry at most (two starts), and per family present (the index). An IPv4 start is
// stored as its low 16 bits (its bucket is the high 16): a /16's starts share a cache line or
// two, which is what a lookup in a large set waits for.
constexpr u64 kPrefixSetBytesV4 = 2 * 2;
constexpr u64 kPrefixSetBytesV6 = 2 * 16;
constexpr u64 kPrefixSetIndexBytes = (kPrefixSetBuckets + 1) * 4;

// One family of one set. Offsets count from the image's first byte; 0 when starts == 0.
struct PrefixTableDesc {
    u32 starts;       // even: the last start leaves the set (or the set runs to the top address: odd)
    u32 reserved;
    u64 index_offset; // u32[kPrefixSetBuckets + 1]: bucket b's starts are [index[b], index[b+1])
    u64 keys_offset;  // IPv4: u16[starts], each start's low 16 bits; IPv6: u64[2 * starts], high word first
};

struct PrefixSetDesc {
    char name[kPrefixSetNameMax]; // NUL-terminated, unique in the image
    u32 entries_v4; // lines with an entry, by family
    u32 entries_v6;
    PrefixTableDesc v4;
    PrefixTableDesc v6;
};

struct PrefixSetImage {
    u32 magic;
    u32 version;
    u64 bytes; // the whole image, header included
    u32 set_count;
    u32 reserved;
    PrefixSetDesc sets[kMaxPrefixSets];
};

// One set, resolved for lookups: pointers into a checked image.
struct PrefixSetView {
    u32 starts4 = 0;
    const u32* index4 = nullptr;
    const u16* keys4 = nullptr; // low 16 bits; the bucket is the high 16
    u32 starts6 = 0;
    const u32* index6 = nullptr;
    const u64* keys6 = nullptr;
};

// Whether `bytes` bytes at `data` are a well-formed image: header, bounds, alignment, each index
// monotonic and consistent with its keys' buckets, keys strictly increasing, names terminated and
// unique. On failure *why (if given) says what is wrong. The kernel runs it on every blob it gets.
bool prefix_set_image_check(const void* data, u64 bytes, const char** why);

// The set called `name` in a checked image; false (and *out untouched) if it has none.
bool prefix_set_find(const void* image, const char* name, PrefixSetView* out);

// Whether the address is in the set. Inline: a rule naming a set looks one up per frame.
inline bool prefix_set_contains_v4(const PrefixSetView& s, u32 addr)
{
    if (!s.starts4) return false;
    const u32 b = addr >> (32 - kPrefixSetBucketBits);
    const u16 low = static_cast<u16>(addr);
    u32 lo = s.index4[b], hi = s.index4[b + 1];
    while (lo < hi) { // lo ends as the number of starts at or below addr, in the whole table
        const u32 mid = lo + (hi - lo) / 2;
        if (s.keys4[mid] <= low) lo = mid + 1;
        else hi = mid;
    }
    return lo & 1;
}

inline bool prefix_set_contains_v6(const PrefixSetView& s, const u64* addr)
{
    if (!s.starts6) return false;
    const u32 b = static_cast<u32>(addr[0] >> (64 - kPrefixSetBucketBits));
    u32 lo = s.index6[b], hi = s.index6[b + 1];
    while (lo < hi) {
        const u32 mid = lo + (hi - lo) / 2;
        const u64 k0 = s.keys6[2 * mid], k1 = s.keys6[2 * mid + 1];
        if (k0 < addr[0] || (k0 == addr[0] && k1 <= addr[1])) lo = mid + 1;
        else hi = mid;
    }
    return lo & 1;
}

} // namespace offsched
