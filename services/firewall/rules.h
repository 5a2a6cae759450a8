// Ordered rule matching: the first rule whose every condition holds decides.
#pragma once

#include "services/firewall/firewall_config.h"
#include "services/net/parse.h"

namespace offsched::firewall {

// Index of the first matching rule, or rule_count when none matches.
u32 match_rule(const Config& c, const net::ParsedFrame& p);

bool rule_matches(const Rule& r, const net::ParsedFrame& p);

} // namespace offsched::firewall
