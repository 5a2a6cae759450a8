// Ordered rule matching: the first rule whose every condition holds decides.
#pragma once

#include "services/firewall/firewall_config.h"
#include "services/net/parse.h"

namespace offsched::firewall {

// The prefix set each rule names (src_set), resolved in the config's data image: null where the
// rule names none.
struct RuleSets {
    const PrefixSetView* of[kMaxRules];
    PrefixSetView views[kMaxRules];
    bool any = false; // some rule names a set
};
// Resolves every rule's set; a rule whose set the image lacks (a blob that skipped
// schema_check_data) gets an empty set, which nothing is in.
void resolve_rule_sets(const Config& c, const ConfigData& data, RuleSets* out);

// Index of the first matching rule, or rule_count when none matches.
u32 match_rule(const Config& c, const RuleSets& sets, const net::ParsedFrame& p);

// Every condition of r but its prefix set.
bool rule_matches(const Rule& r, const net::ParsedFrame& p);

} // namespace offsched::firewall
