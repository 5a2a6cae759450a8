// parse_frame on arbitrary bytes: never reads past len (ASan), and whatever it accepts is
// self-consistent (offsets inside the frame, ports only for TCP/UDP).
#include <cstdlib>
#include <vector>

#include "services/net/headers.h"
#include "services/net/parse.h"

using namespace offsched;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 0xffff) return 0;
    std::vector<uint8_t> exact(data, data + size); // heap copy of exactly size bytes
    net::ParsedFrame p;
    if (net::parse_frame(exact.data(), static_cast<u16>(size), &p) != net::ParseError::Ok) return 0;
    if (p.l4_offset > size || p.payload_offset + p.payload_len > size) abort();
    if (p.l3_offset + p.ip_total_len > size) abort();
    net::l4_checksum_ok(exact.data(), p);
    return 0;
}
