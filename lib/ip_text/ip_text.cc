#include "lib/ip_text/ip_text.h"

#include <arpa/inet.h>

#include <algorithm>
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

namespace {
// The length after the slash of a prefix (none: the whole address, max bits).
std::optional<uint32_t> prefix_length(std::string_view text, size_t slash, uint32_t max, std::string* why)
{
    if (slash == std::string_view::npos) return max;
    uint32_t len = 0;
    const std::string_view l = text.substr(slash + 1);
    const auto [next, ec] = std::from_chars(l.data(), l.data() + l.size(), len);
    if (ec != std::errc() || next != l.data() + l.size() || l.empty() || len > max) {
        *why = fmt::format("prefix length must be 0 to {} in '{}'", max, text);
        return std::nullopt;
    }
    return len;
}
} // namespace

std::optional<Ipv4Cidr> parse_cidr(std::string_view text, std::string* why)
{
    const size_t slash = text.find('/');
    const auto addr = parse_ipv4(text.substr(0, slash));
    if (!addr) {
        *why = "expected an IPv4 prefix like 10.0.0.0/8, got '" + std::string(text) + "'";
        return std::nullopt;
    }
    const auto n = prefix_length(text, slash, 32, why);
    if (!n) return std::nullopt;
    const uint32_t len = *n;
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

namespace {
std::optional<IpPrefix> parse_ipv6_prefix(std::string_view text, std::string* why)
{
    const size_t slash = text.find('/');
    const std::string addr(text.substr(0, slash));
    uint8_t b[16];
    if (inet_pton(AF_INET6, addr.c_str(), b) != 1) {
        *why = "expected an IPv6 prefix like 2001:db8::/32, got '" + std::string(text) + "'";
        return std::nullopt;
    }
    const auto n = prefix_length(text, slash, 128, why);
    if (!n) return std::nullopt;
    const uint32_t len = *n;
    IpPrefix p{};
    p.family = 6;
    p.prefix_len = len;
    for (int i = 0; i < 16; ++i) p.v6[i / 8] = p.v6[i / 8] << 8 | b[i];
    IpPrefix masked = p;
    for (int w = 0; w < 2; ++w) {
        const int bits = std::clamp(static_cast<int>(len) - 64 * w, 0, 64);
        masked.v6[w] &= prefix_mask64(static_cast<uint32_t>(bits));
    }
    if (masked.v6[0] != p.v6[0] || masked.v6[1] != p.v6[1]) {
        *why = fmt::format("'{}' has host bits set; did you mean {}?", text, format_prefix(masked));
        return std::nullopt;
    }
    return p;
}
} // namespace

std::optional<IpPrefix> parse_prefix(std::string_view text, std::string* why)
{
    if (text == "any") return IpPrefix{};
    if (text.find(':') != std::string_view::npos) return parse_ipv6_prefix(text, why);
    const auto c = parse_cidr(text, why);
    if (!c) {
        // parse_cidr's reason is precise for what looks like IPv4; anything else gets the choices.
        if (text.find('.') == std::string_view::npos)
            *why = "expected an IPv4 or IPv6 prefix (10.0.0.0/8, 2001:db8::/32) or 'any', got '" + std::string(text) + "'";
        return std::nullopt;
    }
    IpPrefix p{};
    p.family = 4;
    p.prefix_len = c->prefix_len;
    p.v4 = c->addr;
    return p;
}

std::string format_prefix(const IpPrefix& p)
{
    if (p.family == 4) return format_cidr(Ipv4Cidr{p.v4, p.prefix_len});
    if (p.family != 6) return "any";
    uint8_t b[16];
    for (int i = 0; i < 16; ++i) b[i] = static_cast<uint8_t>(p.v6[i / 8] >> (56 - 8 * (i % 8)));
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, b, text, sizeof text);
    return fmt::format("{}/{}", text, p.prefix_len);
}

} // namespace offsched::tools
