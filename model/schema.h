// Declares a POD config struct field by field, once: name, type, range, unit, help, and where the
// default comes from. The same table drives YAML loading with file:line errors (hosted), the
// binary config offschedctl hands the kernel module, range checks on the kernel side, and the
// generated docs. Freestanding: plain constant tables, no constructors.
#pragma once

#include "model/ip_prefix.h"
#include "model/prefix_set.h"
#include "model/types.h"

namespace offsched {

enum class FieldType : u8 {
    U32,   // u32, range [min, max]
    U64,   // u64, range [min, max]
    Bool,  // bool
    Enum,  // u32 index into enum_names (YAML: the name)
    Ipv4,  // u32 host order (YAML: "10.0.0.1")
    Cidr,  // struct Ipv4Cidr (YAML: "10.0.0.0/8")
    Prefix, // struct IpPrefix (YAML: "10.0.0.0/8", "2001:db8::/32", or "any")
    Str,   // char[max] NUL-terminated, max includes the NUL
    PrefixSet, // char[kPrefixSetNameMax]: "" or the path of a prefix file (model/prefix_set.h),
               // compiled by hosted loaders into the data image that follows the config
    Array, // count (u32 at count_offset) + elements of elem_size described by elem
};

struct Ipv4Cidr {
    u32 addr; // host order, already masked
    u32 prefix_len;
};

struct FieldDesc {
    const char* name;  // YAML key
    FieldType type;
    u32 offset;        // offsetof in the config struct
    u64 min;           // U32/U64: inclusive range; Str: unused; Array: min count
    u64 max;           // U32/U64: inclusive; Str: buffer size; Array: max count (capacity)
    const char* unit;  // "ns", "pps", "cycles", "" ...
    const char* help;  // one line for docs and errors
    const char* source; // where the default comes from (paper, kernel constant, measurement)
    const char* const* enum_names; // Enum: nullptr-terminated
    const struct FieldDesc* elem;   // Array: element fields
    u32 elem_field_count;
    u32 elem_size;
    u32 count_offset;  // Array: offsetof the u32 element count
    u32 flags = 0;     // FieldFlag bits
};

// Per-field behaviour beyond type and range.
enum FieldFlag : u32 {
    // A secret key: the documented default keeps simulations deterministic, and a tool that
    // deploys the config on a real machine (offschedctl) replaces it with random bytes unless the
    // user's file sets it.
    kFieldRandomOnDeploy = 1u << 0,
};

// Loading overlays YAML on a struct that already holds defaults: a config's defaults() must fill
// every array slot (up to capacity) with the element defaults, so a list item that omits a key
// gets the documented default, not zero.
struct Schema {
    const FieldDesc* fields;
    u32 count;
};

// Checks every U32/U64/Enum/Array range of a struct against its schema (the kernel module runs
// this on configs it receives; the hosted loader reports the same with file:line). Returns the
// first violating field or nullptr.
const FieldDesc* schema_check_ranges(const Schema& s, const void* config, u32* bad_index);

// Checks the data image that follows a config (data_bytes 0: none): a well-formed prefix set
// image, holding a set for every non-empty PrefixSet field. Returns the first field whose set is
// missing, or &kSchemaDataImage when the image itself is bad (*why says why); nullptr when fine.
const FieldDesc* schema_check_data(const Schema& s, const void* config, const void* data, u64 data_bytes,
                                   u32* bad_index, const char** why);
extern const FieldDesc kSchemaDataImage; // names the image itself in errors ("prefix_sets")

// Calls visit for every non-empty PrefixSet field, list items included (`list` the list's field
// and `index` the item, or nullptr and 0), in schema order, until visit returns true; returns
// whether one did. The one walk behind schema_check_data and the hosted loader.
using PrefixSetVisit = bool (*)(void* ctx, const FieldDesc* list, u32 index, const FieldDesc& field, const char* name);
bool schema_visit_prefix_sets(const Schema& s, const void* config, PrefixSetVisit visit, void* ctx);

} // namespace offsched
