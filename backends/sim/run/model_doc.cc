#include "backends/sim/run/model_doc.h"

#include <cstring>

#include <fmt/format.h>

#include "backends/sim/run/params.h"
#include "lib/ip_text/ip_text.h"

namespace offsched::sim {

namespace {

std::string value_of(const FieldDesc& f, const void* base)
{
    const auto* p = static_cast<const uint8_t*>(base) + f.offset;
    uint32_t u32 = 0;
    uint64_t u64 = 0;
    switch (f.type) {
    case FieldType::U32: std::memcpy(&u32, p, 4); return std::to_string(u32);
    case FieldType::U64: std::memcpy(&u64, p, 8); return std::to_string(u64);
    case FieldType::Bool: {
        uint8_t b = 0;
        std::memcpy(&b, p, 1);
        return b ? "true" : "false";
    }
    case FieldType::Enum: std::memcpy(&u32, p, 4); return f.enum_names[u32];
    case FieldType::Ipv4: std::memcpy(&u32, p, 4); return tools::format_ipv4(u32);
    case FieldType::Cidr: {
        Ipv4Cidr c;
        std::memcpy(&c, p, sizeof c);
        return tools::format_cidr(c);
    }
    case FieldType::Prefix: {
        IpPrefix c;
        std::memcpy(&c, p, sizeof c);
        return tools::format_prefix(c);
    }
    case FieldType::Str:
    case FieldType::PrefixSet: return reinterpret_cast<const char*>(p);
    case FieldType::Array: return "-";
    }
    return "?";
}

std::string range_of(const FieldDesc& f)
{
    if (f.type == FieldType::U32 || f.type == FieldType::U64) return fmt::format("{} .. {}", f.min, f.max);
    if (f.type == FieldType::Enum) {
        std::string s;
        for (uint32_t i = 0; f.enum_names[i]; ++i) s += (i ? ", " : "") + std::string(f.enum_names[i]);
        return s;
    }
    return "";
}

std::string cell(const char* s)
{
    std::string out;
    for (const char* c = s; *c; ++c) out += *c == '|' ? std::string("\\|") : std::string(1, *c);
    return out;
}

} // namespace

std::string model_doc_tables()
{
    uint32_t n = 0;
    const ParamSection* secs = param_sections(&n);
    const SimParams d = default_params();
    std::string out;
    for (uint32_t i = 0; i < n; ++i) {
        const ParamSection& s = secs[i];
        out += fmt::format("\n### `{}`: {}\n\n", s.name, s.help);
        out += "| parameter | default | range | unit | meaning | source of the default |\n";
        out += "|---|---|---|---|---|---|\n";
        const void* base = reinterpret_cast<const uint8_t*>(&d) + s.offset;
        for (uint32_t k = 0; k < s.schema.count; ++k) {
            const FieldDesc& f = s.schema.fields[k];
            out += fmt::format("| `{}.{}` | {} | {} | {} | {} | {} |\n", s.name, f.name, value_of(f, base), range_of(f),
                               cell(f.unit), cell(f.help), cell(f.source));
        }
    }
    return out;
}

bool replace_generated_block(const std::string& doc, const std::string& block, std::string* out)
{
    const size_t b = doc.find(kModelDocBegin);
    const size_t e = doc.find(kModelDocEnd);
    if (b == std::string::npos || e == std::string::npos || e < b) return false;
    *out = doc.substr(0, b + std::strlen(kModelDocBegin)) + "\n" + block + "\n" + doc.substr(e);
    return true;
}

} // namespace offsched::sim
