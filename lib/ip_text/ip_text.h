// IP addresses and prefixes as text, strictly: "192.0.2.1", "10.0.0.0/8", "2001:db8::/32".
// Host order integers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/schema.h"

namespace offsched::tools {

std::optional<uint32_t> parse_ipv4(std::string_view text);
// A bare address is a /32. Host bits set below the prefix are an error, not silently masked.
std::optional<Ipv4Cidr> parse_cidr(std::string_view text, std::string* why);
std::string format_ipv4(uint32_t addr);
// An IPv4 or IPv6 prefix, or "any" (family 0). A bare address is a host prefix; host bits set
// below the length are an error naming the prefix meant.
std::optional<IpPrefix> parse_prefix(std::string_view text, std::string* why);
std::string format_prefix(const IpPrefix& p); // IPv6 in RFC 5952 form (inet_ntop)
std::string format_cidr(const Ipv4Cidr& c);

} // namespace offsched::tools
