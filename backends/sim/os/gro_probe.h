// Whether a GRO may merge NIC queue q's background segments: asked of the frame bytes the codec
// really writes (two consecutive packets of the queue: same 4-tuple, the second's sequence number
// right after the first's payload), so the OS model never merges what a real GRO, or the napi
// service reading those very bytes, would not.
#pragma once

#include <cstdint>

#include "backends/sim/offload/frame_codec.h"

namespace offsched::sim {

bool bg_segments_continue(const FrameCodec& codec, uint32_t q);

} // namespace offsched::sim
