// How far each design's child has simulated, for the progress line on a terminal. The parent
// maps a small shared page before fork(); children inherit it and publish their simulated time.
// With no page mapped (not a terminal, --quiet, tests) a run is one plain sc_start.
#pragma once

#include <cstddef>
#include <cstdint>

namespace offsched::sim::trace {

// Parent, before simulate(): room for `designs` counters (zeroed). False if mmap failed.
bool progress_share_open(size_t designs);
void progress_share_close();
// Simulated ns design i has reached (0 when nothing is shared).
uint64_t progress_reached_ns(size_t design);

// Child: sc_start for duration_ns. When the parent watches, runs in 1/200 slices and publishes
// the time reached after each (consecutive sc_start calls run the same events as one).
void sc_start_publishing(size_t design, uint64_t duration_ns);

} // namespace offsched::sim::trace
