// Splits a fuzz input into frames: [len_hi, len_lo, bytes...]*, so one input is a whole burst.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

inline std::vector<std::vector<uint8_t>> split_frames(const uint8_t* data, size_t size)
{
    std::vector<std::vector<uint8_t>> out;
    size_t at = 0;
    while (at + 2 <= size && out.size() < 256) {
        size_t len = (size_t{data[at]} << 8 | data[at + 1]) % 1600;
        at += 2;
        if (len > size - at) len = size - at;
        out.emplace_back(data + at, data + at + len);
        at += len;
    }
    return out;
}
