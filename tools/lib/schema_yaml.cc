#include "tools/lib/schema_yaml.h"

#include <cstring>
#include <set>

#include <fmt/format.h>

#include "lib/ip_text/ip_text.h"
#include "tools/lib/quantity.h"

namespace offsched::tools {

namespace {

template <typename T> T* field_ptr(void* base, uint32_t off) { return reinterpret_cast<T*>(static_cast<uint8_t*>(base) + off); }
template <typename T> const T* field_ptr(const void* base, uint32_t off)
{
    return reinterpret_cast<const T*>(static_cast<const uint8_t*>(base) + off);
}

std::string enum_choices(const FieldDesc& f)
{
    std::string out;
    for (const char* const* n = f.enum_names; n && *n; ++n) out += (out.empty() ? "" : ", ") + std::string(*n);
    return out;
}

std::string join_path(const std::string& prefix, std::string_view name)
{
    return prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
}

// Parses a scalar into the field. Returns "" on success, else what was expected.
std::string parse_scalar(const FieldDesc& f, std::string_view text, void* out)
{
    std::string why;
    switch (f.type) {
    case FieldType::U32:
    case FieldType::U64: {
        const auto v = parse_quantity(text, f.unit ? f.unit : "", &why);
        if (!v) return why;
        if (*v < f.min || *v > f.max)
            return fmt::format("{} is out of range [{}, {}]{}", *v, f.min, f.max,
                               f.unit && *f.unit ? std::string(" ") + f.unit : "");
        if (f.type == FieldType::U32) *field_ptr<uint32_t>(out, f.offset) = static_cast<uint32_t>(*v);
        else *field_ptr<uint64_t>(out, f.offset) = *v;
        return "";
    }
    case FieldType::Bool:
        if (text == "true") *field_ptr<bool>(out, f.offset) = true;
        else if (text == "false") *field_ptr<bool>(out, f.offset) = false;
        else return "expected true or false, got '" + std::string(text) + "'";
        return "";
    case FieldType::Enum:
        for (uint32_t i = 0; f.enum_names && f.enum_names[i]; ++i)
            if (text == f.enum_names[i]) {
                *field_ptr<uint32_t>(out, f.offset) = i;
                return "";
            }
        return fmt::format("'{}' is not one of: {}", text, enum_choices(f));
    case FieldType::Ipv4: {
        const auto a = parse_ipv4(text);
        if (!a) return "expected an IPv4 address like 192.0.2.1, got '" + std::string(text) + "'";
        *field_ptr<uint32_t>(out, f.offset) = *a;
        return "";
    }
    case FieldType::Cidr: {
        const auto c = parse_cidr(text, &why);
        if (!c) return why;
        *field_ptr<Ipv4Cidr>(out, f.offset) = *c;
        return "";
    }
    case FieldType::Prefix: {
        const auto c = parse_prefix(text, &why);
        if (!c) return why;
        *field_ptr<IpPrefix>(out, f.offset) = *c;
        return "";
    }
    case FieldType::Str:
    case FieldType::PrefixSet:
        if (text.size() + 1 > f.max) return fmt::format("longer than {} characters", f.max - 1);
        std::memcpy(field_ptr<char>(out, f.offset), text.data(), text.size());
        field_ptr<char>(out, f.offset)[text.size()] = '\0';
        return "";
    case FieldType::Array:
        return "expected a list";
    }
    return "unsupported field type";
}

void load_field(const FieldDesc& f, const YAML::Node& node, void* out, const std::string& file,
                const std::string& path)
{
    if (f.type != FieldType::Array) {
        if (!node.IsScalar())
            throw InputError(location_of(node, file), path, "expected a single value (" + std::string(f.help) + ")");
        const std::string why = parse_scalar(f, node.Scalar(), out);
        if (!why.empty()) throw InputError(location_of(node, file), path, why);
        return;
    }
    if (!node.IsSequence()) throw InputError(location_of(node, file), path, "expected a list");
    if (node.size() < f.min || node.size() > f.max)
        throw InputError(location_of(node, file), path,
                         fmt::format("has {} entries, expected {} to {}", node.size(), f.min, f.max));
    const Schema elem{f.elem, f.elem_field_count};
    // A one-field element with an empty name is a list of scalars ("ports: [22, 80]").
    const bool scalar_list = f.elem_field_count == 1 && f.elem[0].name[0] == '\0';
    for (size_t i = 0; i < node.size(); ++i) {
        void* item = static_cast<uint8_t*>(out) + f.offset + i * f.elem_size;
        const std::string item_path = fmt::format("{}[{}]", path, i);
        if (scalar_list) load_field(f.elem[0], node[i], item, file, item_path);
        else load_struct(elem, node[i], item, file, item_path);
    }
    *field_ptr<uint32_t>(out, f.count_offset) = static_cast<uint32_t>(node.size());
}

} // namespace

const FieldDesc* find_field(const Schema& schema, std::string_view name)
{
    for (uint32_t i = 0; i < schema.count; ++i)
        if (name == schema.fields[i].name) return &schema.fields[i];
    return nullptr;
}

std::string field_names(const Schema& schema)
{
    std::string out;
    for (uint32_t i = 0; i < schema.count; ++i) {
        if (i) out += i + 1 == schema.count ? " or " : ", ";
        out += schema.fields[i].name;
    }
    return out;
}

void load_struct(const Schema& schema, const YAML::Node& map, void* out, const std::string& file,
                 const std::string& prefix)
{
    if (map.IsNull()) return; // "section:" with nothing under it keeps the defaults
    if (!map.IsMap())
        throw InputError(location_of(map, file), prefix, "expected a map of " + field_names(schema));
    std::set<std::string> seen;
    for (const auto& kv : map) {
        const std::string key = kv.first.Scalar();
        const std::string path = join_path(prefix, key);
        if (!seen.insert(key).second) throw InputError(location_of(kv.first, file), path, "duplicate key");
        const FieldDesc* f = find_field(schema, key);
        if (!f)
            throw InputError(location_of(kv.first, file), path,
                             "unknown key; " + (prefix.empty() ? std::string("expected") : "'" + prefix + "' takes") +
                                 " " + field_names(schema));
        load_field(*f, kv.second, out, file, path);
    }
}

void set_field_text(const Schema& schema, void* out, std::string_view name, std::string_view text,
                    const InputLocation& where, const std::string& full_name)
{
    const FieldDesc* f = find_field(schema, name);
    if (!f) throw InputError(where, full_name, "unknown parameter; expected one of " + field_names(schema));
    if (f->type == FieldType::Array) throw InputError(where, full_name, "lists cannot be set from the command line");
    const std::string why = parse_scalar(*f, text, out);
    if (!why.empty()) throw InputError(where, full_name, why);
}

nlohmann::ordered_json struct_to_json(const Schema& schema, const void* in)
{
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (uint32_t i = 0; i < schema.count; ++i) {
        const FieldDesc& f = schema.fields[i];
        nlohmann::ordered_json v;
        switch (f.type) {
        case FieldType::U32: v = *field_ptr<uint32_t>(in, f.offset); break;
        case FieldType::U64: v = *field_ptr<uint64_t>(in, f.offset); break;
        case FieldType::Bool: v = *field_ptr<bool>(in, f.offset); break;
        case FieldType::Enum: {
            const uint32_t idx = *field_ptr<uint32_t>(in, f.offset);
            v = f.enum_names[idx];
            break;
        }
        case FieldType::Ipv4: v = format_ipv4(*field_ptr<uint32_t>(in, f.offset)); break;
        case FieldType::Cidr: v = format_cidr(*field_ptr<Ipv4Cidr>(in, f.offset)); break;
        case FieldType::Prefix: v = format_prefix(*field_ptr<IpPrefix>(in, f.offset)); break;
        case FieldType::Str:
        case FieldType::PrefixSet: v = std::string(field_ptr<char>(in, f.offset)); break;
        case FieldType::Array: {
            v = nlohmann::ordered_json::array();
            const Schema elem{f.elem, f.elem_field_count};
            const bool scalar_list = f.elem_field_count == 1 && f.elem[0].name[0] == '\0';
            const uint32_t n = *field_ptr<uint32_t>(in, f.count_offset);
            for (uint32_t e = 0; e < n; ++e) {
                const void* item = static_cast<const uint8_t*>(in) + f.offset + e * f.elem_size;
                nlohmann::ordered_json one = struct_to_json(elem, item);
                v.push_back(scalar_list ? one[""] : one);
            }
            break;
        }
        }
        j[f.name] = v;
    }
    return j;
}

} // namespace offsched::tools
