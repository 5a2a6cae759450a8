#include "model/schema.h"

namespace offsched {

namespace {
template <typename T> T field_at(const void* base, u32 off)
{
    T v;
    __builtin_memcpy(&v, static_cast<const u8*>(base) + off, sizeof v);
    return v;
}

u32 enum_count(const char* const* names)
{
    u32 n = 0;
    while (names && names[n]) ++n;
    return n;
}
} // namespace

const FieldDesc* schema_check_ranges(const Schema& s, const void* config, u32* bad_index)
{
    for (u32 i = 0; i < s.count; ++i) {
        const FieldDesc& f = s.fields[i];
        switch (f.type) {
        case FieldType::U32: {
            const u32 v = field_at<u32>(config, f.offset);
            if (v < f.min || v > f.max) return &f;
            break;
        }
        case FieldType::U64: {
            const u64 v = field_at<u64>(config, f.offset);
            if (v < f.min || v > f.max) return &f;
            break;
        }
        case FieldType::Enum:
            if (field_at<u32>(config, f.offset) >= enum_count(f.enum_names)) return &f;
            break;
        case FieldType::Cidr:
            if (field_at<Ipv4Cidr>(config, f.offset).prefix_len > 32) return &f;
            break;
        case FieldType::Prefix:
            if (!prefix_valid(field_at<IpPrefix>(config, f.offset))) return &f;
            break;
        case FieldType::Str:
        case FieldType::PrefixSet: {
            const char* str = static_cast<const char*>(config) + f.offset;
            u64 n = 0;
            while (n < f.max && str[n]) ++n;
            if (n == f.max) return &f; // not NUL-terminated within its buffer
            break;
        }
        case FieldType::Array: {
            const u32 count = field_at<u32>(config, f.count_offset);
            if (count < f.min || count > f.max) return &f;
            const Schema elem{f.elem, f.elem_field_count};
            for (u32 e = 0; e < count; ++e) {
                const void* item = static_cast<const u8*>(config) + f.offset + e * f.elem_size;
                if (const FieldDesc* bad = schema_check_ranges(elem, item, nullptr)) {
                    if (bad_index) *bad_index = e;
                    return bad;
                }
            }
            break;
        }
        case FieldType::Bool:
        case FieldType::Ipv4:
            break;
        }
    }
    return nullptr;
}

const FieldDesc kSchemaDataImage = {"prefix_sets", FieldType::PrefixSet, 0, 0, kPrefixSetNameMax, "",
                                     "the prefix sets compiled from the files the config names", "", nullptr, nullptr,
                                     0, 0, 0, 0};

namespace {
bool visit_fields(const Schema& s, const void* config, const FieldDesc* list, u32 index, PrefixSetVisit visit, void* ctx)
{
    for (u32 i = 0; i < s.count; ++i) {
        const FieldDesc& f = s.fields[i];
        if (f.type == FieldType::PrefixSet) {
            const char* name = static_cast<const char*>(config) + f.offset;
            if (name[0] && visit(ctx, list, index, f, name)) return true;
        } else if (f.type == FieldType::Array) {
            const u32 count = field_at<u32>(config, f.count_offset);
            const Schema elem{f.elem, f.elem_field_count};
            for (u32 e = 0; e < count && e < f.max; ++e)
                if (visit_fields(elem, static_cast<const u8*>(config) + f.offset + e * f.elem_size, &f, e, visit, ctx))
                    return true;
        }
    }
    return false;
}

struct MissingSet {
    const void* image;
    const FieldDesc* field = nullptr;
    u32 index = 0;
};
} // namespace

bool schema_visit_prefix_sets(const Schema& s, const void* config, PrefixSetVisit visit, void* ctx)
{
    return visit_fields(s, config, nullptr, 0, visit, ctx);
}

const FieldDesc* schema_check_data(const Schema& s, const void* config, const void* data, u64 data_bytes,
                                   u32* bad_index, const char** why)
{
    if (data_bytes && !prefix_set_image_check(data, data_bytes, why)) return &kSchemaDataImage;
    // The first named set the image lacks; with no image, any named set.
    MissingSet m{data_bytes ? data : nullptr};
    auto missing = [](void* ctx, const FieldDesc*, u32 index, const FieldDesc& f, const char* name) {
        MissingSet& m = *static_cast<MissingSet*>(ctx);
        PrefixSetView v;
        if (m.image && prefix_set_find(m.image, name, &v)) return false;
        m.field = &f;
        m.index = index;
        return true;
    };
    if (!schema_visit_prefix_sets(s, config, missing, &m)) return nullptr;
    if (bad_index) *bad_index = m.index;
    if (why) *why = "names a prefix set the config's data image does not hold";
    return m.field;
}

} // namespace offsched
