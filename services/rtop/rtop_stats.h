// rtop counters.
#pragma once

#include "model/stats.h"

namespace offsched::rtop {

enum Stat : u32 { kSamples, kDatagrams, kTxFull, kReadRetries, kReadFailed, kRxDiscarded, kMissedIntervals, kStatCount };

inline constexpr StatDesc kStatDescs[kStatCount] = {
    {"samples", "consistent snapshots taken and sent"},
    {"datagrams_sent", "UDP datagrams the NIC queue accepted"},
    {"tx_full", "datagrams the NIC queue refused"},
    {"read_retries", "seqlock reads repeated because a write overlapped"},
    {"read_failed", "samples skipped: every read attempt overlapped a write"},
    {"rx_discarded", "frames received on the service's queues (rtop only transmits) and dropped"},
    {"missed_intervals", "intervals that passed without a sample (core busy or stalled)"},
};

} // namespace offsched::rtop
