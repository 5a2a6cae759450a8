// Lock-free access between a service core and the OS side.
// The service core may be outside Linux (no RCU, no IPIs), so cross-core communication is
// plain memory with acquire/release ordering; GCC builtins keep this header freestanding.
#pragma once

#include "model/types.h"

namespace offsched {

template <typename T> inline T load_relaxed(const T* p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
template <typename T> inline T load_acquire(const T* p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
template <typename T> inline void store_relaxed(T* p, T v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }
template <typename T> inline void store_release(T* p, T v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

} // namespace offsched
