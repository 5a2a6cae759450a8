#include "model/prefix_set.h"

namespace offsched {

namespace {
bool fail(const char** why, const char* text)
{
    if (why) *why = text;
    return false;
}

// [offset, offset + count * size) inside the image, offset aligned to `align`; no overflow.
bool span_ok(u64 bytes, u64 offset, u64 count, u64 size, u64 align)
{
    if (offset % align || offset > bytes) return false;
    return count <= (bytes - offset) / size;
}

bool name_ok(const char* name)
{
    for (u32 i = 0; i < kPrefixSetNameMax; ++i)
        if (!name[i]) return i > 0;
    return false;
}

bool same_name(const char* a, const char* b)
{
    for (u32 i = 0; i < kPrefixSetNameMax; ++i) {
        if (a[i] != b[i]) return false;
        if (!a[i]) return true;
    }
    return true;
}

// Keys strictly increase: IPv4 within each bucket (the bucket is the high half), IPv6 across
// the table, and an IPv6 key's top bits are its bucket. A key out of order or in the wrong bucket
// would be missed by the bounded search, so the check insists.
bool keys_ok(const u8* base, const PrefixTableDesc& t, const u32* index, bool v6, const char** why)
{
    for (u32 b = 0; b < kPrefixSetBuckets; ++b) {
        for (u32 i = index[b]; i < index[b + 1]; ++i) {
            if (!v6) {
                if (i == index[b]) continue;
                u16 prev, k;
                __builtin_memcpy(&k, base + t.keys_offset + u64{i} * 2, 2);
                __builtin_memcpy(&prev, base + t.keys_offset + u64{i - 1} * 2, 2);
                if (prev >= k) return fail(why, "interval starts are not strictly increasing");
                continue;
            }
            u64 a[2], k[2];
            __builtin_memcpy(k, base + t.keys_offset + u64{i} * 16, 16);
            if (static_cast<u32>(k[0] >> (64 - kPrefixSetBucketBits)) != b)
                return fail(why, "an interval start lies in the wrong bucket");
            if (i == 0) continue;
            __builtin_memcpy(a, base + t.keys_offset + u64{i - 1} * 16, 16);
            if (!(a[0] < k[0] || (a[0] == k[0] && a[1] < k[1]))) return fail(why, "interval starts are not strictly increasing");
        }
    }
    return true;
}

bool table_ok(const u8* base, u64 bytes, const PrefixTableDesc& t, bool v6, const char** why)
{
    if (t.reserved) return fail(why, "a reserved field is set");
    if (!t.starts) return true;
    const u64 key_size = v6 ? 16 : 2;
    if (!span_ok(bytes, t.index_offset, kPrefixSetBuckets + 1, 4, 4) || !span_ok(bytes, t.keys_offset, t.starts, key_size, 8))
        return fail(why, "a table lies outside the image or is misaligned");
    const u32* index = reinterpret_cast<const u32*>(base + t.index_offset);
    if (index[0] != 0 || index[kPrefixSetBuckets] != t.starts) return fail(why, "a bucket index does not span its table");
    // The whole index first: a bucket's keys are read only once no bucket reaches past the table
    // (a fuzzer found the read that checked each bucket as it went).
    for (u32 b = 0; b < kPrefixSetBuckets; ++b)
        if (index[b] > index[b + 1]) return fail(why, "a bucket index decreases");
    return keys_ok(base, t, index, v6, why);
}
} // namespace

bool prefix_set_image_check(const void* data, u64 bytes, const char** why)
{
    if (bytes < sizeof(PrefixSetImage) || reinterpret_cast<uintptr_t>(data) % 8)
        return fail(why, "the prefix set image is shorter than its header");
    const PrefixSetImage& img = *static_cast<const PrefixSetImage*>(data);
    if (img.magic != kPrefixSetMagic || img.version != kPrefixSetVersion)
        return fail(why, "not a prefix set image of this version (tool and module built from different sources?)");
    if (img.bytes != bytes) return fail(why, "the prefix set image's size does not match what was sent");
    if (img.set_count > kMaxPrefixSets || img.reserved) return fail(why, "the prefix set image's header is corrupt");
    const u8* base = static_cast<const u8*>(data);
    for (u32 i = 0; i < img.set_count; ++i) {
        const PrefixSetDesc& s = img.sets[i];
        if (!name_ok(s.name)) return fail(why, "a prefix set's name is empty or not terminated");
        for (u32 j = 0; j < i; ++j)
            if (same_name(s.name, img.sets[j].name)) return fail(why, "two prefix sets share a name");
        if (u64{s.entries_v4} + s.entries_v6 > kMaxPrefixSetEntries) return fail(why, "a prefix set has too many entries");
        if (s.v4.starts > 2ull * s.entries_v4 || s.v6.starts > 2ull * s.entries_v6)
            return fail(why, "a prefix set has more interval starts than its entries make");
        if (!table_ok(base, bytes, s.v4, false, why) || !table_ok(base, bytes, s.v6, true, why)) return false;
    }
    return true;
}

bool prefix_set_find(const void* image, const char* name, PrefixSetView* out)
{
    const PrefixSetImage& img = *static_cast<const PrefixSetImage*>(image);
    const u8* base = static_cast<const u8*>(image);
    for (u32 i = 0; i < img.set_count; ++i) {
        const PrefixSetDesc& s = img.sets[i];
        if (!same_name(s.name, name)) continue;
        PrefixSetView v;
        if ((v.starts4 = s.v4.starts)) {
            v.index4 = reinterpret_cast<const u32*>(base + s.v4.index_offset);
            v.keys4 = reinterpret_cast<const u16*>(base + s.v4.keys_offset);
        }
        if ((v.starts6 = s.v6.starts)) {
            v.index6 = reinterpret_cast<const u32*>(base + s.v6.index_offset);
            v.keys6 = reinterpret_cast<const u64*>(base + s.v6.keys_offset);
        }
        *out = v;
        return true;
    }
    return false;
}

} // namespace offsched
