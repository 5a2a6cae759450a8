// rtop::decode on arbitrary bytes: no overread, and an accepted datagram re-encodes to the
// very same bytes (the format has exactly one encoding).
#include <cstdlib>
#include <cstring>
#include <vector>

#include "services/rtop/rtop_wire.h"

using namespace offsched::rtop;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::vector<uint8_t> exact(data, data + size);
    Header h;
    Record r[kMaxRecordsPerDatagram];
    if (decode(exact.data(), static_cast<uint32_t>(size), &h, r, kMaxRecordsPerDatagram) != DecodeError::Ok) return 0;
    uint8_t out[kMaxDatagramLen];
    const uint32_t len = encode(h, r, h.record_count, out, sizeof out);
    if (len != size) abort();
    // Reserved record bytes are ignored by the decoder; compare everything else.
    for (uint32_t i = 0; i < h.record_count; ++i) exact[kHeaderLen + i * kRecordLen + 2] = exact[kHeaderLen + i * kRecordLen + 3] = 0;
    if (std::memcmp(out, exact.data(), size) != 0) abort();
    return 0;
}
