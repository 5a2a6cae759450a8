// Prefix sets: large IPv4/IPv6 address sets (country lists, bogons, abuse feeds) that a config's
// fields name (FieldType::PrefixSet: the path of a file of prefixes and ranges, one per line).
// Hosted tools compile every set a config names into one pointer-free image that travels right
// after the config's POD struct (the config blob); a backend copies the blob once, checks it with
// prefix_set_image_check and never looks inside; the service reads the image in place.
//
// Each family of a set is a sorted list of interval starts: the address space cut where the
// narrowest entry covering it changes, each piece labelled with that entry's line in the file (0:
// no entry). An entry adds at most two starts, so memory is bounded per entry (kPrefixSetBytesV4
// and kPrefixSetBytesV6, plus a fixed bucket index per family present). A lookup takes the
// address's top 16 bits as a bucket, then binary-searches that bucket's starts only: its cost is
// bounded by how many starts share the address's /16, never by the set's size (an IPv4 /16 holds
// at most 65,536 starts: 17 steps). The line of the narrowest covering entry is the longest-prefix
// match: entries may nest (a /24 inside a /8) but not overlap partially.
#pragma once

#include "model/types.h"

namespace offsched {

constexpr u32 kPrefixSetMagic = 0x5350534f; // "OSPS"
constexpr u32 kPrefixSetVersion = 1;
constexpr u32 kMaxPrefixSets = 8;            // distinct sets one config may name
constexpr u32 kPrefixSetNameMax = 128;       // with the NUL: the path as the config writes it
constexpr u32 kMaxPrefixSetEntries = 1000000; // lines with an entry, per set
constexpr u32 kPrefixSetBucketBits = 16;
constexpr u32 kPrefixSetBuckets = 1u << kPrefixSetBucketBits;
// Bytes per entry at most (two starts: key and value), and per family present (the index). An
// IPv4 key is the start's low 16 bits (its bucket is the high 16): a /16's starts share few
// cache lines, which is what a lookup in a large set waits for.
constexpr u64 kPrefixSetBytesV4 = 2 * (2 + 4);
constexpr u64 kPrefixSetBytesV6 = 2 * (16 + 4);
constexpr u64 kPrefixSetIndexBytes = (kPrefixSetBuckets + 1) * 4;

// One family of one set. Offsets count from the image's first byte; 0 when starts == 0.
struct PrefixTableDesc {
    u32 starts;
    u32 reserved;
    u64 index_offset;  // u32[kPrefixSetBuckets + 1]: bucket b's starts are [index[b], index[b+1])
    u64 keys_offset;   // IPv4: u16[starts], each start's low 16 bits; IPv6: u64[2 * starts], high word first
    u64 values_offset; // u32[starts]: the line of the narrowest entry covering [key, next key)
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
    const u32* values4 = nullptr;
    u32 starts6 = 0;
    const u32* index6 = nullptr;
    const u64* keys6 = nullptr;
    const u32* values6 = nullptr;
};

// Whether `bytes` bytes at `data` are a well-formed image: header, bounds, alignment, each index
// monotonic and consistent with its keys' buckets, keys strictly increasing, names terminated and
// unique. On failure *why (if given) says what is wrong. The kernel runs it on every blob it gets.
bool prefix_set_image_check(const void* data, u64 bytes, const char** why);

// The set called `name` in a checked image; false (and *out untouched) if it has none.
bool prefix_set_find(const void* image, const char* name, PrefixSetView* out);

// The line of the narrowest entry covering the address, 0 when none does. Inline: a rule naming
// a set looks one up per frame.
inline u32 prefix_set_lookup_v4(const PrefixSetView& s, u32 addr)
{
    if (!s.starts4) return 0;
    const u32 b = addr >> (32 - kPrefixSetBucketBits);
    const u16 low = static_cast<u16>(addr);
    u32 lo = s.index4[b], hi = s.index4[b + 1];
    while (lo < hi) { // first start above addr
        const u32 mid = lo + (hi - lo) / 2;
        if (s.keys4[mid] <= low) lo = mid + 1;
        else hi = mid;
    }
    return lo ? s.values4[lo - 1] : 0; // the bucket's first start above: the previous bucket's last
}

inline u32 prefix_set_lookup_v6(const PrefixSetView& s, const u64* addr)
{
    if (!s.starts6) return 0;
    const u32 b = static_cast<u32>(addr[0] >> (64 - kPrefixSetBucketBits));
    u32 lo = s.index6[b], hi = s.index6[b + 1];
    while (lo < hi) {
        const u32 mid = lo + (hi - lo) / 2;
        const u64 k0 = s.keys6[2 * mid], k1 = s.keys6[2 * mid + 1];
        if (k0 < addr[0] || (k0 == addr[0] && k1 <= addr[1])) lo = mid + 1;
        else hi = mid;
    }
    return lo ? s.values6[lo - 1] : 0;
}

} // namespace offsched
