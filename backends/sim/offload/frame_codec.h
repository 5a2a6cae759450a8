// Real frame bytes for the packets a polled service reads (built with services/net), and the
// way back: frames a service passes to the OS or transmits are parsed and mapped onto model
// entities (a legit connection, a flood packet, a background flow).
#pragma once

#include <cstdint>
#include <vector>

#include "backends/sim/traffic/clients.h"
#include "backends/sim/os/host_wire.h"
#include "backends/sim/os/tcp_listener.h"
#include "backends/sim/machine/packet.h"
#include "backends/sim/run/params.h"
#include "backends/sim/hw/rss.h"
#include "model/types.h"
#include "services/net/build.h"

namespace offsched::sim {

constexpr uint8_t kHostMac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
constexpr uint8_t kPeerMac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};


class FrameCodec {
public:
    FrameCodec(const SimParams& p, const Rss& rss, const Clients& clients, uint64_t seed);

    // Background flow i's client side (address, port); flows are spread by RSS like any other.
    uint32_t bg_ip(uint32_t flow) const { return 0xac100000u + 1 + flow; } // 172.16.0.0/12
    uint16_t bg_port(uint32_t flow) const { return static_cast<uint16_t>(40000 + flow % 20000); }
    void set_bg_flows_of_queue(uint32_t q, std::vector<uint32_t> flows);

    // Writes packet `i` of slot s (0 for a legit slot); returns the length and the RSS hash.
    uint16_t build(const Slot& s, uint32_t i, uint8_t* buf, uint16_t cap, uint32_t* rss_hash) const;
    // The same for flood packet k of queue q (the per-packet path of a flooded poll).
    uint16_t build_flood(uint32_t q, uint64_t k, uint8_t* buf, uint16_t cap, uint32_t* rss_hash) const;

    // The host's segment s to connection conn as the frame the host transmits (HostTx).
    uint16_t build_host(uint32_t conn, const WireSeg& s, uint8_t* buf, uint16_t cap) const;

    // A frame a service handed towards the OS, as the slot the OS receive path processes.
    // False when it is nothing the model knows (counted by the caller, processed as background).
    bool classify_passed(const uint8_t* data, uint16_t len, Slot* out) const;

    struct TxInfo {
        bool to_client = false; // destination is a legit connection
        uint32_t conn = 0;
        WireSeg seg;            // what the client receives
    };
    bool classify_tx(const uint8_t* data, uint16_t len, TxInfo* out) const;

private:
    void init_flood_template();
    template <typename PortHash>
    void fill_port_buckets(PortHash port_hash, std::vector<uint16_t>* ports, std::vector<uint32_t>* hashes) const;
    uint16_t build_legit(const Slot& s, uint8_t* buf, uint16_t cap) const;
    void set_ipv6(uint32_t client, net::L3Addrs* a, bool to_client) const;
    [[gnu::always_inline]] uint16_t port_onto(uint32_t q, uint32_t fixed, uint64_t r2, const std::vector<uint16_t>& ports,
                       const std::vector<uint32_t>& hashes, uint32_t* h) const;

    const SimParams& p_;
    const Rss& rss_;
    const Clients& clients_;
    uint64_t seed_;
    std::vector<std::vector<uint32_t>> bg_by_queue_;
    // Flood frames: one template built by services/net with the varying fields zero; each packet
    // patches source address, port and sequence number and adjusts both checksums (RFC 1624).
    uint8_t flood_tmpl_[64] = {};
    uint16_t flood_len_ = 0;
    // Toeplitz is linear, so a port that puts a given source on a given queue can be looked up:
    // ports bucketed by the low hash bits they contribute, entries of the RSS table by queue.
    // Flat arrays (no pointer chasing on the per-packet path): kPortsPerBucket ports per bucket
    // of low hash bits, and each queue's indirection entries at [q * entries, + count[q]).
    static constexpr uint32_t kPortsPerBucket = 32;
    std::vector<uint16_t> ports_by_bits_;
    std::vector<uint32_t> port_hash_by_bits_; // rss_.port_hash(port, 0) of the same slots
    std::vector<uint32_t> entries_by_queue_;
    std::vector<uint32_t> entry_count_;
    uint32_t flood_fixed_hash_ = 0; // server address and port's share of every flood hash
    // Per-packet invariants, hoisted: the spoofed range, each queue's random stream key
    // (keyed_random's first round), and the template's complemented checksums.
    uint32_t flood_src_base_ = 0, flood_sources_ = 0;
    std::vector<uint64_t> flood_stream_key_;
    uint32_t ip_csum_inv_ = 0, tcp_csum_inv_ = 0;
    // The IPv6 share of the flood (flood.ipv6_percent): its own template, and ports bucketed by
    // their share of the IPv6 Toeplitz input (the ports sit at other key offsets there).
    uint16_t build_flood6(uint32_t q, uint32_t idx, uint64_t r, uint64_t r2, uint8_t* buf, uint16_t cap,
                          uint32_t* h) const;
    void init_flood6_template();
    uint8_t flood6_tmpl_[80] = {};
    uint16_t flood6_len_ = 0;
    std::vector<uint16_t> ports6_by_bits_;
    std::vector<uint32_t> port6_hash_by_bits_;
    uint32_t flood6_fixed_hash_ = 0;
    uint32_t tcp6_csum_inv_ = 0;
    uint64_t flood6_host_mask_hi_ = 0; // the bits of the high half below src_net6's prefix
};

} // namespace offsched::sim
