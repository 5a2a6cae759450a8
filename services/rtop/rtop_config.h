// rtop service configuration and its schema.
#pragma once

#include "model/schema.h"
#include "model/service.h"

namespace offsched::rtop {

struct Config {
    u64 interval_ns;     // one sample per interval
    char dst_mac[18];    // "aa:bb:cc:dd:ee:ff"
    u32 dst_ip;
    u32 dst_port;
    u32 src_ip;
    u32 src_port;
    u32 queue;           // index into the service's NIC queues used for transmission
    u32 read_tries;      // seqlock read attempts per sample
};

#define OFFSCHED_RTOP_FIELD(f) static_cast<u32>(__builtin_offsetof(Config, f))
inline constexpr FieldDesc kConfigFields[] = {
    {"interval_ns", FieldType::U64, OFFSCHED_RTOP_FIELD(interval_ns), 1000000, 60000000000ull, "ns",
     "time between samples", "100000000: 10 samples/s, what top users perceive as live", nullptr, nullptr, 0, 0, 0},
    {"dst_mac", FieldType::Str, OFFSCHED_RTOP_FIELD(dst_mac), 0, 18, "",
     "Ethernet destination of the datagrams (the collector or the gateway), aa:bb:cc:dd:ee:ff",
     "ff:ff:ff:ff:ff:ff: broadcast on the local segment", nullptr, nullptr, 0, 0, 0},
    {"dst_ip", FieldType::Ipv4, OFFSCHED_RTOP_FIELD(dst_ip), 0, 0, "", "collector address",
     "192.0.2.1 (documentation range): set per deployment; 0.0.0.0 is refused", nullptr, nullptr, 0, 0, 0},
    {"dst_port", FieldType::U32, OFFSCHED_RTOP_FIELD(dst_port), 1, 65535, "", "collector UDP port",
     "7171 (unassigned by IANA)", nullptr, nullptr, 0, 0, 0},
    {"src_ip", FieldType::Ipv4, OFFSCHED_RTOP_FIELD(src_ip), 0, 0, "", "source address of the datagrams",
     "192.0.2.2 (documentation range): set per deployment; 0.0.0.0 is refused", nullptr, nullptr, 0, 0, 0},
    {"src_port", FieldType::U32, OFFSCHED_RTOP_FIELD(src_port), 1, 65535, "", "source UDP port", "7171", nullptr,
     nullptr, 0, 0, 0},
    {"queue", FieldType::U32, OFFSCHED_RTOP_FIELD(queue), 0, 63, "", "which of the service's NIC queues transmits",
     "0; clamped to the queues the backend gives", nullptr, nullptr, 0, 0, 0},
    {"read_tries", FieldType::U32, OFFSCHED_RTOP_FIELD(read_tries), 1, 1000, "",
     "seqlock read attempts per sample before giving up until the next interval",
     "8: a writer holds the lock for well under a microsecond", nullptr, nullptr, 0, 0, 0},
};
#undef OFFSCHED_RTOP_FIELD

inline constexpr Schema kConfigSchema{kConfigFields, static_cast<u32>(array_size(kConfigFields))};

void set_defaults(Config& c);
bool check(const Config& c, ConfigError& err);
// Parses "aa:bb:cc:dd:ee:ff" (hex, either case). False on anything else.
bool parse_mac(const char* text, u8 out[6]);

} // namespace offsched::rtop
