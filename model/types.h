// Basic integer types for freestanding code: model/ and services/ are compiled both
// hosted (sim, tests) and into the kernel module, so nothing here may need libc or the heap.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace offsched {

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;
using i32 = int32_t;
using i64 = int64_t;

template <typename T, size_t N>
constexpr size_t array_size(const T (&)[N]) { return N; }

} // namespace offsched
