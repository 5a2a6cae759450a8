// Constexpr builders for schema rows, so a config's FieldDesc table reads one field per entry
// without the unused trailing members. Offsets come from OFFSCHED_FIELD(Struct, member).
#pragma once

#include "model/schema.h"

#define OFFSCHED_FIELD(S, f) static_cast<::offsched::u32>(__builtin_offsetof(S, f))

namespace offsched::fields {

constexpr FieldDesc make(const char* name, FieldType t, u32 off, u64 min, u64 max, const char* unit, const char* help,
                         const char* source)
{
    return FieldDesc{name, t, off, min, max, unit, help, source, nullptr, nullptr, 0, 0, 0};
}
constexpr FieldDesc u32_(const char* name, u32 off, u64 min, u64 max, const char* unit, const char* help, const char* source)
{
    return make(name, FieldType::U32, off, min, max, unit, help, source);
}
constexpr FieldDesc u64_(const char* name, u32 off, u64 min, u64 max, const char* unit, const char* help, const char* source)
{
    return make(name, FieldType::U64, off, min, max, unit, help, source);
}
constexpr FieldDesc bool_(const char* name, u32 off, const char* help, const char* source)
{
    return make(name, FieldType::Bool, off, 0, 0, "", help, source);
}
constexpr FieldDesc ipv4_(const char* name, u32 off, const char* help, const char* source)
{
    return make(name, FieldType::Ipv4, off, 0, 0, "", help, source);
}
constexpr FieldDesc cidr_(const char* name, u32 off, const char* help, const char* source)
{
    return make(name, FieldType::Cidr, off, 0, 0, "", help, source);
}
constexpr FieldDesc prefix_(const char* name, u32 off, const char* help, const char* source)
{
    return make(name, FieldType::Prefix, off, 0, 0, "", help, source);
}
constexpr FieldDesc str_(const char* name, u32 off, u32 size, const char* help, const char* source)
{
    return make(name, FieldType::Str, off, 0, size, "", help, source);
}
constexpr FieldDesc prefix_set_(const char* name, u32 off, const char* help, const char* source)
{
    return make(name, FieldType::PrefixSet, off, 0, kPrefixSetNameMax, "", help, source);
}
constexpr FieldDesc enum_(const char* name, u32 off, const char* const* names, const char* help, const char* source)
{
    FieldDesc f = make(name, FieldType::Enum, off, 0, 0, "", help, source);
    f.enum_names = names;
    return f;
}
// A key that offschedctl randomises per deployment unless the config sets it (kFieldRandomOnDeploy).
constexpr FieldDesc random_on_deploy(FieldDesc f)
{
    f.flags |= kFieldRandomOnDeploy;
    return f;
}
template <size_t N>
constexpr FieldDesc array_(const char* name, u32 off, u32 count_off, u32 elem_size, u64 min, u64 max,
                           const FieldDesc (&elem)[N], const char* help, const char* source)
{
    FieldDesc f = make(name, FieldType::Array, off, min, max, "", help, source);
    f.elem = elem;
    f.elem_field_count = static_cast<u32>(N);
    f.elem_size = elem_size;
    f.count_offset = count_off;
    return f;
}
template <size_t N> constexpr Schema schema(const FieldDesc (&f)[N]) { return Schema{f, static_cast<u32>(N)}; }

} // namespace offsched::fields
