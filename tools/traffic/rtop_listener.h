// Receives the rtop service's UDP datagrams (services/rtop/rtop_wire.h, the same decoder the
// service's encoder is tested against) and checks what a collector would: every datagram
// decodes, samples cover all CPUs, and CPU time advances between samples.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

namespace offsched::traffic {

class RtopListener {
public:
    explicit RtopListener(uint16_t port) : port_(port) {}
    // True when the frame was an rtop datagram (decoded or not).
    bool handle(const uint8_t* frame, size_t len);
    uint64_t samples() const { return samples_; }
    nlohmann::ordered_json report() const;

private:
    uint16_t port_;
    uint64_t datagrams_ = 0, decode_errors_ = 0, samples_ = 0;
    uint32_t last_sample_ = 0, total_cpus_ = 0;
    uint64_t mem_total_kb_ = 0;
    uint64_t first_cpu0_time_ = 0, last_cpu0_time_ = 0; // busy + idle + irq + softirq of cpu 0
};

} // namespace offsched::traffic
