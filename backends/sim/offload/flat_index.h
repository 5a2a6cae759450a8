// A 64-bit key -> 32-bit value map for the per-packet paths (a frame the service transmits is
// checked against the legitimate connections): open addressing with linear probing, no deletion,
// grown at half load. A miss, the common case under a flood, touches one or two cache lines.
#pragma once

#include <cstdint>
#include <vector>

namespace offsched::sim {

class FlatIndex {
public:
    FlatIndex() { keys_.assign(1024, kEmpty); vals_.assign(1024, 0); }
    // Value of key, or -1.
    int64_t find(uint64_t key) const
    {
        for (size_t i = slot(key);; i = (i + 1) & (keys_.size() - 1)) {
            if (keys_[i] == key) return vals_[i];
            if (keys_[i] == kEmpty) return -1;
        }
    }
    void insert(uint64_t key, uint32_t v)
    {
        if (2 * (n_ + 1) > keys_.size()) grow();
        size_t i = slot(key);
        while (keys_[i] != kEmpty && keys_[i] != key) i = (i + 1) & (keys_.size() - 1);
        if (keys_[i] == kEmpty) ++n_;
        keys_[i] = key;
        vals_[i] = v;
    }

private:
    static constexpr uint64_t kEmpty = ~0ull;
    size_t slot(uint64_t k) const
    {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccdull;
        k ^= k >> 33;
        return static_cast<size_t>(k) & (keys_.size() - 1);
    }
    void grow()
    {
        std::vector<uint64_t> k = std::move(keys_);
        std::vector<uint32_t> v = std::move(vals_);
        keys_.assign(k.size() * 2, kEmpty);
        vals_.assign(k.size() * 2, 0);
        n_ = 0;
        for (size_t i = 0; i < k.size(); ++i)
            if (k[i] != kEmpty) insert(k[i], v[i]);
    }
    std::vector<uint64_t> keys_;
    std::vector<uint32_t> vals_;
    size_t n_ = 0;
};

} // namespace offsched::sim
