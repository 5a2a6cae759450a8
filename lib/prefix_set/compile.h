// Prefix files compiled into the image services read (model/prefix_set.h). The file's text:
//   # comment, to the end of the line; blank lines are skipped
//   192.0.2.0/24          an IPv4 or IPv6 prefix (a bare address is a host)
//   2001:db8::/32
//   198.51.100.7-198.51.100.20   an inclusive range of one family (spaces around '-' allowed)
//   !10.1.2.0/24          an exclusion: not in the set, though an entry above contains it (the
//                         narrowest entry covering an address decides)
// Refused, with the line (and the other line involved): a line that is none of these, host bits
// set beyond the prefix length, a range of mixed families or backwards, an entry given twice, two
// entries that overlap without one containing the other, more than kMaxPrefixSetEntries entries,
// and a last line without its newline (a truncated download).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/prefix_set.h"

namespace offsched::prefix_sets {

struct CompileError {
    int line = 0;   // 1-based
    int column = 0; // 1-based; 0 for the whole line
    std::string message;
};

// One set, compiled: the addresses where membership changes, per family (model/prefix_set.h).
struct CompiledSet {
    std::string name;
    uint32_t entries = 0, entries_v4 = 0, entries_v6 = 0;
    std::vector<uint32_t> keys4;
    std::vector<uint64_t> keys6; // high, low per start
};

// False with *err filled on the first bad line.
bool compile_prefix_set(const std::string& name, const std::string& text, CompiledSet* out, CompileError* err);

// The image holding every set (at most kMaxPrefixSets, names unique), 8-byte aligned in memory
// when stored in a vector of u64 and viewed as bytes.
std::vector<uint8_t> build_image(const std::vector<CompiledSet>& sets);

} // namespace offsched::prefix_sets
