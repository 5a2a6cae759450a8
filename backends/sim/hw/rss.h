// Receive-side scaling as the NIC does it: Toeplitz hash of the IPv4/TCP or IPv6/TCP 4-tuple with
// a 40-byte key, low bits index an indirection table that names the queue.
#pragma once

#include <cstdint>
#include <vector>

namespace offsched::sim {

class Rss {
public:
    // Default key: the verification key of Microsoft's RSS specification (a fixed, published key
    // keeps results deterministic; Linux drivers use a random netdev_rss_key instead).
    Rss(uint32_t queues, uint32_t table_entries);

    // Toeplitz over src_ip, dst_ip, src_port, dst_port in network order (addresses host order here).
    // Linear over GF(2): the hash of a tuple is the XOR of its fields' hashes (with the others 0).
    uint32_t hash(uint32_t src_ip, uint32_t dst_ip, uint16_t src_port, uint16_t dst_port) const
    {
        return word_hash(0, src_ip) ^ word_hash(1, dst_ip) ^ port_hash(src_port, dst_port);
    }
    uint32_t word_hash(uint32_t word, uint32_t v) const
    {
        const uint32_t(*l)[256] = lut_ + 4 * word;
        return l[0][v >> 24] ^ l[1][(v >> 16) & 0xff] ^ l[2][(v >> 8) & 0xff] ^ l[3][v & 0xff];
    }
    uint32_t port_hash(uint16_t src_port, uint16_t dst_port) const
    {
        return lut_[8][src_port >> 8] ^ lut_[9][src_port & 0xff] ^ lut_[10][dst_port >> 8] ^ lut_[11][dst_port & 0xff];
    }
    // IPv6: src (16 bytes), dst (16), src_port, dst_port, each field's share separately.
    // Addresses host order, [0] the high 64 bits.
    uint32_t addr6_hash(uint32_t word, const uint64_t* a) const
    {
        uint32_t h = 0;
        for (uint32_t i = 0; i < 16; ++i) h ^= lut6_[16 * word + i][(a[i / 8] >> (56 - 8 * (i % 8))) & 0xff];
        return h;
    }
    uint32_t port6_hash(uint16_t src_port, uint16_t dst_port) const
    {
        return lut6_[32][src_port >> 8] ^ lut6_[33][src_port & 0xff] ^ lut6_[34][dst_port >> 8] ^ lut6_[35][dst_port & 0xff];
    }
    uint32_t queue_of_hash(uint32_t h) const { return table_[h & mask_]; } // size: a power of two
    uint32_t queue(uint32_t src_ip, uint32_t dst_ip, uint16_t src_port, uint16_t dst_port) const
    {
        return queue_of_hash(hash(src_ip, dst_ip, src_port, dst_port));
    }
    // Share of uniformly hashed flows that land on `q`: entries pointing at q / entries.
    uint32_t entries_for(uint32_t q) const;
    uint32_t entries() const { return static_cast<uint32_t>(table_.size()); }

private:
    std::vector<uint32_t> table_;
    uint32_t mask_;
    uint32_t lut_[12][256]; // contribution of byte value v at input position i
    uint32_t lut6_[36][256]; // the same for the IPv6 input
};

} // namespace offsched::sim
