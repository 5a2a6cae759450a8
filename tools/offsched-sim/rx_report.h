// The established-flow receive section of offsched-sim's output (napi_offload.yaml): what the
// online cores paid per packet (hardirq/softirq/ksoftirqd), what reached the sockets, the
// NIC-to-socket latency and the wake-ups per packet, for the run table, its verdict and --sweep.
// Shown for pure receive scenarios only: no ssh clients, no flood, no reading application.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "backends/sim/run/result.h"
#include "tools/offsched-sim/sweep.h"

namespace offsched::tools {

bool is_receive_scenario(const std::vector<sim::DesignResult>& rs);

// Rows (label, one cell per design) under the heading rx_heading().
const char* rx_heading();
std::vector<std::pair<std::string, std::vector<std::string>>> rx_rows(const std::vector<sim::DesignResult>& rs);
// "Did every packet reach its socket, and what did it cost the online cores?", a line per design.
std::string rx_verdict(const std::vector<sim::DesignResult>& rs, size_t width);
// --sweep table: per design, one row per swept value, up to where it saturates.
std::string render_rx_sweep(const SweepGrid& grid, const std::vector<SweepPoint>& points);

} // namespace offsched::tools
