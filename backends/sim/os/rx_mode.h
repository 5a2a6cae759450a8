// Where the OS does a received packet's protocol work (os.rx_mode): the bottom-half designs the
// receive-livelock literature compares, selectable per design on the same traffic.
#pragma once

#include <cstdint>

namespace offsched::sim {

enum class RxMode : uint32_t {
    Napi,         // hardirq schedules NAPI; softirq polls with a budget, overflow to ksoftirqd (Linux)
    IrqPerPacket, // pre-NAPI: each packet's whole receive path in hardirq; the handler drains its
                  // ring (up to os.irq_rx_limit) and re-arms (BSD / Digital UNIX as measured by
                  // Mogul & Ramakrishnan, TOCS 1997; Linux 2.4's non-NAPI drivers)
    Ksoftirqd,    // every NET_RX softirq deferred to ksoftirqd (threaded, scheduled against tasks)
    BusyPoll,     // the application task polls the ring and does the protocol work itself
                  // (busy polling): unread packets stay at the NIC
    Lrp,          // lazy receiver processing (Druschel & Banga, OSDI 1996), soft demux: the
                  // interrupt only demultiplexes each frame to its receiver's channel (dropping it
                  // there when the channel is full); the receiving task does the protocol work
                  // when it reads, so overload costs the receiver nothing but the demux
};

// YAML names, in enum order (the schema's enum_names: nullptr-terminated). "napi" is Linux's own
// receive path, which the napi service takes off the OS; the OS model knows nothing of the service.
inline constexpr const char* kRxModeNames[] = {"napi", "irq_per_packet", "ksoftirqd", "busy_poll", "lrp", nullptr};

} // namespace offsched::sim
