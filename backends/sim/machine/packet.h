// What the model moves instead of packets. Flood and background traffic are runs of consecutive
// packets of one per-queue stream (count + index of the first), so a ring of 512 flood frames is
// one record; legit packets are individual records pointing at their connection.
#pragma once

#include <cstdint>

namespace offsched::sim {

enum class PktKind : uint8_t { Flood, Background, Legit, Count };
inline const char* pkt_kind_name(PktKind k)
{
    static const char* const kNames[] = {"flood", "background", "legit"};
    return k < PktKind::Count ? kNames[static_cast<uint32_t>(k)] : "?";
}

// A legitimate client's segments: its SYN, a pure ACK (the handshake's third segment when the
// SYN-ACK offered a zero window, as a SYN proxy's does), a zero-window probe (seq one below), the
// request (ACK with data: an ssh banner or an HTTP request; it completes the handshake when it is
// the first ACK), and its FIN once the response is in.
enum class LegitSeg : uint8_t { Syn, Ack, Probe, Data, Fin };

struct Slot {
    PktKind kind = PktKind::Flood;
    LegitSeg seg = LegitSeg::Syn; // Legit only
    uint16_t queue = 0;           // NIC queue (stream) it arrived on
    uint32_t count = 1;           // Flood/Background: run length; Legit: 1
    uint32_t conn = 0;            // Legit: connection id
    uint64_t first = 0;           // Flood/Background: stream index of the first packet
    uint64_t t_ns = 0;            // arrival time (Legit exact; runs: first packet)
    bool bad_ack = false;         // Legit passed by a service: its ack is not in the server's numbering
};

} // namespace offsched::sim
