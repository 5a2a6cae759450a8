#include "tools/lib/ipv4_text.h"

#include <charconv>

#include <fmt/format.h>

namespace offsched::tools {

std::optional<uint32_t> parse_ipv4(std::string_view text)
{
    uint32_t addr = 0;
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (int octet = 0; octet < 4; ++octet) {
        if (octet > 0) {
            if (p == end || *p != '.') return std::nullopt;
            ++p;
        }
        unsigned v = 0;
        const auto [next, ec] = std::from_chars(p, end, v);
        if (ec != std::errc() || next == p || v > 255 || next - p > 3) return std::nullopt;
        addr = addr << 8 | v;
        p = next;
    }
    if (p != end) return std::nullopt;
    return addr;
}

std::optional<Ipv4Cidr> parse_cidr(std::string_view text, std::string* why)
{
    const size_t slash = text.find('/');
    const auto addr = parse_ipv4(text.substr(0, slash));
    if (!addr) {
        *why = "expected an IPv4 prefix like 10.0.0.0/8, got '" + std::string(text) + "'";
        return std::nullopt;
    }
    uint32_t len = 32;
    if (slash != std::string_view::npos) {
        const std::string_view l = text.substr(slash + 1);
        const auto [next, ec] = std::from_chars(l.data(), l.data() + l.size(), len);
        if (ec != std::errc() || next != l.data() + l.size() || l.empty() || len > 32) {
            *why = "prefix length must be 0 to 32 in '" + std::string(text) + "'";
            return std::nullopt;
        }
    }
    const uint32_t mask = len == 0 ? 0 : ~0u << (32 - len);
    if (*addr & ~mask) {
        *why = fmt::format("'{}' has host bits set; did you mean {}/{}?", text, format_ipv4(*addr & mask), len);
        return std::nullopt;
    }
    return Ipv4Cidr{*addr, len};
}

std::string format_ipv4(uint32_t a)
{
    return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

std::string format_cidr(const Ipv4Cidr& c) { return fmt::format("{}/{}", format_ipv4(c.addr), c.prefix_len); }

} // namespace offsched::tools
