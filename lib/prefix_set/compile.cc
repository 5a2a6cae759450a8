#include "lib/prefix_set/compile.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "lib/ip_text/ip_text.h"

namespace offsched::prefix_sets {

namespace {

using u128 = unsigned __int128;

struct Entry {
    u128 lo, hi; // inclusive; IPv4 in the low 32 bits
    int line;
    bool exclude; // "!prefix": not in the set, whatever contains it
};

u128 key_of(const IpPrefix& p)
{
    return p.family == 4 ? u128{p.v4} : (u128{p.v6[0]} << 64) | p.v6[1];
}

u128 last_of(const IpPrefix& p)
{
    const u32 width = p.family == 4 ? 32 : 128;
    const u128 host = p.prefix_len == width ? 0 : (~u128{0}) >> (128 - (width - p.prefix_len));
    return key_of(p) | host;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// One address of a range: a bare address, no length.
bool range_end(std::string_view text, IpPrefix* out, std::string* why)
{
    if (text.find('/') != std::string_view::npos) {
        *why = fmt::format("'{}': a range's ends are addresses, without a length", text);
        return false;
    }
    const auto p = tools::parse_prefix(text, why);
    if (!p || p->family == 0) {
        if (p) *why = "'any' is not an address";
        return false;
    }
    *out = *p;
    return true;
}

// The entry on one (trimmed, comment-free, non-empty) line.
bool parse_entry(std::string_view text, int line, Entry* e, int* family, std::string* why)
{
    e->line = line;
    e->exclude = !text.empty() && text.front() == '!';
    if (e->exclude) text = trim(text.substr(1));
    if (const size_t dash = text.find('-'); dash != std::string_view::npos) {
        IpPrefix a, b;
        if (!range_end(trim(text.substr(0, dash)), &a, why) || !range_end(trim(text.substr(dash + 1)), &b, why))
            return false;
        if (a.family != b.family) {
            *why = "a range must not mix IPv4 and IPv6";
            return false;
        }
        e->lo = key_of(a);
        e->hi = key_of(b);
        if (e->lo > e->hi) {
            *why = "the range runs backwards (first address above the last)";
            return false;
        }
        *family = a.family;
        return true;
    }
    const auto p = tools::parse_prefix(text, why);
    if (!p) return false;
    if (p->family == 0) {
        *why = "'any' is not an entry: write 0.0.0.0/0 and ::/0";
        return false;
    }
    e->lo = key_of(*p);
    e->hi = last_of(*p);
    *family = p->family;
    return true;
}

// Sorted entries (lo ascending, wider first) to the starts where membership changes: a stack of
// the entries open at the sweep's position, the narrowest on top deciding; each entry opens a
// piece, and closing it hands the rest back to its parent.
bool sweep(std::vector<Entry>& es, u128 last_address, std::vector<u128>* starts, CompileError* err)
{
    struct Piece {
        u128 key;
        bool in;
    };
    std::vector<Piece> pieces;
    std::sort(es.begin(), es.end(), [](const Entry& a, const Entry& b) {
        if (a.lo != b.lo) return a.lo < b.lo;
        if (a.hi != b.hi) return a.hi > b.hi;
        return a.line < b.line;
    });
    auto emit = [&pieces](u128 key, bool in) {
        if (!pieces.empty() && pieces.back().key == key) pieces.back().in = in; // a later piece at the same address wins
        else pieces.push_back({key, in});
    };
    std::vector<const Entry*> open;
    auto close_top = [&] {
        const Entry* t = open.back();
        open.pop_back();
        if (t->hi != last_address) emit(t->hi + 1, !open.empty() && !open.back()->exclude);
    };
    for (const Entry& e : es) {
        while (!open.empty() && open.back()->hi < e.lo) close_top();
        if (!open.empty()) {
            const Entry& t = *open.back();
            // Reported at the later line of the two, naming the earlier one.
            const int at = std::max(t.line, e.line), other = std::min(t.line, e.line);
            if (t.lo == e.lo && t.hi == e.hi) {
                *err = {at, 0, fmt::format("duplicates line {}", other)};
                return false;
            }
            if (e.hi > t.hi) {
                *err = {at, 0, fmt::format("overlaps line {} without containing it or lying inside it", other)};
                return false;
            }
        }
        emit(e.lo, !e.exclude);
        open.push_back(&e);
    }
    while (!open.empty()) close_top();
    // Keep the pieces where membership changes: the address space begins outside the set.
    bool in = false;
    for (const Piece& p : pieces) {
        if (p.in == in) continue;
        starts->push_back(p.key);
        in = p.in;
    }
    return true;
}

} // namespace

bool compile_prefix_set(const std::string& name, const std::string& text, CompiledSet* out, CompileError* err)
{
    *out = CompiledSet{};
    out->name = name;
    if (name.empty() || name.size() + 1 > kPrefixSetNameMax) {
        *err = {0, 0, fmt::format("a prefix set's name must be 1 to {} characters", kPrefixSetNameMax - 1)};
        return false;
    }
    std::vector<Entry> v4, v6;
    size_t at = 0;
    int line = 0;
    while (at < text.size()) {
        ++line;
        const size_t nl = text.find('\n', at);
        if (nl == std::string::npos) {
            *err = {line, 0, "the last line has no newline: the file looks truncated (end it with a newline if it is whole)"};
            return false;
        }
        const size_t line_start = at;
        std::string_view l(text.data() + at, nl - at);
        at = nl + 1;
        if (const size_t hash = l.find('#'); hash != std::string_view::npos) l = l.substr(0, hash);
        const std::string_view entry = trim(l);
        if (entry.empty()) continue;
        if (out->entries == kMaxPrefixSetEntries) {
            *err = {line, 0, fmt::format("more than {} entries", kMaxPrefixSetEntries)};
            return false;
        }
        Entry e;
        int family = 0;
        std::string why;
        if (!parse_entry(entry, line, &e, &family, &why)) {
            *err = {line, static_cast<int>(entry.data() - (text.data() + line_start)) + 1, why};
            return false;
        }
        (family == 4 ? v4 : v6).push_back(e);
        ++out->entries;
    }
    out->entries_v4 = static_cast<uint32_t>(v4.size());
    out->entries_v6 = static_cast<uint32_t>(v6.size());
    std::vector<u128> s4, s6;
    if (!sweep(v4, u128{0xffffffffu}, &s4, err) || !sweep(v6, ~u128{0}, &s6, err)) return false;
    for (const u128 k : s4) out->keys4.push_back(static_cast<uint32_t>(k));
    for (const u128 k : s6) {
        out->keys6.push_back(static_cast<uint64_t>(k >> 64));
        out->keys6.push_back(static_cast<uint64_t>(k));
    }
    return true;
}

namespace {
uint64_t align8(uint64_t n) { return (n + 7) & ~uint64_t{7}; }

// Appends one family's table at the end of `img` and describes it in `t`.
template <typename Key>
void put_table(std::vector<uint8_t>& img, PrefixTableDesc& t, const std::vector<Key>& keys, size_t key_words,
               unsigned bucket_shift, bool low_half_keys)
{
    const size_t starts = keys.size() / key_words;
    t = PrefixTableDesc{};
    if (!starts) return;
    t.starts = static_cast<uint32_t>(starts);
    std::vector<uint32_t> index(kPrefixSetBuckets + 1, 0);
    size_t i = 0;
    for (uint32_t b = 0; b <= kPrefixSetBuckets; ++b) { // index[b]: the first start in bucket b or later
        while (i < starts && (static_cast<uint64_t>(keys[i * key_words]) >> bucket_shift) < b) ++i;
        index[b] = static_cast<uint32_t>(i);
    }
    index[kPrefixSetBuckets] = static_cast<uint32_t>(starts);
    auto append = [&img](const void* p, size_t n) {
        const size_t off = img.size();
        img.resize(align8(off + n));
        std::memcpy(img.data() + off, p, n);
        return off;
    };
    t.index_offset = append(index.data(), index.size() * 4);
    if (low_half_keys) { // the bucket holds the high half
        std::vector<uint16_t> low(keys.size());
        for (size_t k = 0; k < keys.size(); ++k) low[k] = static_cast<uint16_t>(keys[k]);
        t.keys_offset = append(low.data(), low.size() * 2);
    } else {
        t.keys_offset = append(keys.data(), keys.size() * sizeof(Key));
    }
}
} // namespace

std::vector<uint8_t> build_image(const std::vector<CompiledSet>& sets)
{
    std::vector<uint8_t> img(align8(sizeof(PrefixSetImage)), 0);
    PrefixSetImage head{};
    head.magic = kPrefixSetMagic;
    head.version = kPrefixSetVersion;
    head.set_count = static_cast<uint32_t>(std::min<size_t>(sets.size(), kMaxPrefixSets));
    for (uint32_t i = 0; i < head.set_count; ++i) {
        const CompiledSet& s = sets[i];
        PrefixSetDesc& d = head.sets[i];
        std::memcpy(d.name, s.name.data(), std::min<size_t>(s.name.size(), kPrefixSetNameMax - 1));
        d.entries_v4 = s.entries_v4;
        d.entries_v6 = s.entries_v6;
        put_table(img, d.v4, s.keys4, 1, 32 - kPrefixSetBucketBits, true);
        put_table(img, d.v6, s.keys6, 2, 64 - kPrefixSetBucketBits, false);
    }
    head.bytes = img.size();
    std::memcpy(img.data(), &head, sizeof head);
    return img;
}

} // namespace offsched::prefix_sets
