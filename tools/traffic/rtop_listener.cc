#include "tools/traffic/rtop_listener.h"

#include "services/net/headers.h"
#include "services/net/parse.h"
#include "services/rtop/rtop_wire.h"

namespace offsched::traffic {

bool RtopListener::handle(const uint8_t* frame, size_t len)
{
    net::ParsedFrame p{};
    if (!port_ || len > 0xffff || net::parse_frame(frame, static_cast<u16>(len), &p) != net::ParseError::Ok ||
        p.proto != net::kIpProtoUdp || p.dst_port != port_)
        return false;
    ++datagrams_;
    rtop::Header h{};
    rtop::Record records[rtop::kMaxRecordsPerDatagram];
    if (rtop::decode(frame + p.payload_offset, p.payload_len, &h, records, rtop::kMaxRecordsPerDatagram) !=
        rtop::DecodeError::Ok) {
        ++decode_errors_;
        return true;
    }
    if (samples_ == 0 || h.sample != last_sample_) ++samples_;
    last_sample_ = h.sample;
    total_cpus_ = h.total_cpus;
    mem_total_kb_ = h.mem_total_kb;
    if (h.first_cpu == 0 && h.record_count > 0) {
        const rtop::Record& r = records[0];
        last_cpu0_time_ = r.busy_ns + r.idle_ns + r.irq_ns + r.softirq_ns;
        if (!first_cpu0_time_) first_cpu0_time_ = last_cpu0_time_;
    }
    return true;
}

nlohmann::ordered_json RtopListener::report() const
{
    return {{"datagrams", datagrams_},          {"decode_errors", decode_errors_},
            {"samples", samples_},              {"total_cpus", total_cpus_},
            {"mem_total_kb", mem_total_kb_},    {"cpu0_time_advanced_ns", last_cpu0_time_ - first_cpu0_time_}};
}

} // namespace offsched::traffic
