// Receives the rtop service's datagrams as Ethernet frames from QEMU's socket NIC, picks the
// UDP ones sent to the rtop port and hands their payload to the collector offsched-rtop uses
// (lib/rtop/collector.h: one decoding path), then reports what a collector would
// check: every datagram decodes, samples cover all CPUs, and CPU time advances.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "lib/rtop/collector.h"

namespace offsched::traffic {

class RtopListener {
public:
    explicit RtopListener(uint16_t port) : port_(port) {}
    // True when the frame was an rtop datagram (decoded or not).
    bool handle(const uint8_t* frame, size_t len);
    uint64_t samples() const { return collector_.counters().samples; }
    nlohmann::ordered_json report() const;

private:
    uint16_t port_;
    uint64_t frames_ = 0; // rtop-port frames seen (the collector counts their payloads)
    rtop_view::Collector collector_;
};

} // namespace offsched::traffic
