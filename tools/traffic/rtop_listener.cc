#include "tools/traffic/rtop_listener.h"

#include "services/net/headers.h"
#include "services/net/parse.h"

namespace offsched::traffic {

bool RtopListener::handle(const uint8_t* frame, size_t len)
{
    net::ParsedFrame p{};
    if (!port_ || len > 0xffff || net::parse_frame(frame, static_cast<u16>(len), &p) != net::ParseError::Ok ||
        p.proto != net::kIpProtoUdp || p.dst_port != port_)
        return false;
    ++frames_;
    collector_.feed(frame + p.payload_offset, p.payload_len, frames_); // frame count as time: only order matters here
    return true;
}

nlohmann::ordered_json RtopListener::report() const
{
    const rtop_view::Counters& k = collector_.counters();
    const auto cpu0_total = [](const rtop_view::Sample& s) {
        return s.cpus.empty() ? 0 : s.cpus[0].busy_ns + s.cpus[0].idle_ns + s.cpus[0].irq_ns + s.cpus[0].softirq_ns;
    };
    const bool any = collector_.has_sample();
    return {{"datagrams", k.datagrams},
            {"decode_errors", k.garbage},
            {"samples", k.samples},
            {"total_cpus", any ? collector_.last().total_cpus : 0},
            {"mem_total_kb", any ? collector_.last().mem_total_kb : 0},
            {"cpu0_time_advanced_ns", any ? cpu0_total(collector_.last()) - cpu0_total(collector_.first()) : 0},
            {"lost", k.lost}};
}

} // namespace offsched::traffic
