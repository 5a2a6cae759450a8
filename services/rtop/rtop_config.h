// rtop service configuration and its schema.
#pragma once

#include "model/schema.h"
#include "services/common/fields.h"
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

inline constexpr FieldDesc kConfigFields[] = {
    fields::u64_("interval_ns", OFFSCHED_FIELD(Config, interval_ns), 1000000, 60000000000ull, "ns",
                 "time between samples", "100000000: 10 samples/s, what top users perceive as live"),
    fields::str_("dst_mac", OFFSCHED_FIELD(Config, dst_mac), 18,
                 "Ethernet destination of the datagrams (the collector or the gateway), aa:bb:cc:dd:ee:ff",
                 "ff:ff:ff:ff:ff:ff: broadcast on the local segment"),
    fields::ipv4_("dst_ip", OFFSCHED_FIELD(Config, dst_ip), "collector address",
                  "192.0.2.1 (documentation range): set per deployment; 0.0.0.0 is refused"),
    fields::u32_("dst_port", OFFSCHED_FIELD(Config, dst_port), 1, 65535, "", "collector UDP port",
                 "7171 (unassigned by IANA)"),
    fields::ipv4_("src_ip", OFFSCHED_FIELD(Config, src_ip), "source address of the datagrams",
                  "192.0.2.2 (documentation range): set per deployment; 0.0.0.0 is refused"),
    fields::u32_("src_port", OFFSCHED_FIELD(Config, src_port), 1, 65535, "", "source UDP port", "7171"),
    fields::u32_("queue", OFFSCHED_FIELD(Config, queue), 0, 63, "", "which of the service's NIC queues transmits",
                 "0; clamped to the queues the backend gives"),
    fields::u32_("read_tries", OFFSCHED_FIELD(Config, read_tries), 1, 1000, "",
                 "seqlock read attempts per sample before giving up until the next interval",
                 "8: a writer holds the lock for well under a microsecond"),
};

inline constexpr Schema kConfigSchema = fields::schema(kConfigFields);

void set_defaults(Config& c);
// ChannelSpec::streams_to: the collector's UDP port and the sampling interval.
void streams_to(const void* config, StreamTarget* out);
bool check(const Config& c, ConfigError& err);
// Parses "aa:bb:cc:dd:ee:ff" (hex, either case). False on anything else.
bool parse_mac(const char* text, u8 out[6]);

} // namespace offsched::rtop
