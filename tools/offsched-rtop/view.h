// The top-like text view of one sending host: identity, sample age, memory, per-CPU shares and
// the collector's drop/garbage counters.
#pragma once

#include <string>

#include "lib/rtop/collector.h"

namespace offsched::rtop_view {

std::string render_host(const std::string& host, const Collector& c);

} // namespace offsched::rtop_view
