// Offloaded NAPI fed arbitrary bursts: merged frames must parse and checksum, and the TCP
// payload bytes delivered equal the payload bytes of the valid frames taken.
#include <cstdlib>
#include <memory>

#include "fakes.h"
#include "fuzz_frames.h"
#include "services/napi/napi.h"
#include "services/net/parse.h"

using namespace offsched;
using namespace offsched::test;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FakeEnv e(1, 2);
    Napi::Config c;
    Napi::defaults(c);
    c.max_batch_segments = 4;
    auto n = std::make_unique<Napi>(e.env, c);
    u64 in_payload = 0;
    for (auto& f : split_frames(data, size)) {
        net::ParsedFrame p;
        if (net::parse_frame(f.data(), static_cast<u16>(f.size()), &p) == net::ParseError::Ok && p.proto == 6)
            in_payload += p.payload_len;
        e.queues[0].push(f);
    }
    while (!e.queues[0].pending.empty()) n->step(64);
    u64 out_payload = 0;
    for (auto& ring : e.host.rings)
        for (auto& f : ring) {
            net::ParsedFrame p;
            const net::ParseError err = net::parse_frame(f.data(), static_cast<u16>(f.size()), &p);
            if (err == net::ParseError::NotIp) continue;
            if (err != net::ParseError::Ok) abort();
            if (p.proto == 6) out_payload += p.payload_len;
        }
    if (in_payload != out_payload) abort();
    // One verdict per frame taken (NicQueue::verdict), each one it could be.
    const FakeNicQueue& q = e.queues[0];
    if (q.undecided() || q.bad_verdicts || q.verdict_count(Verdict::Answer)) abort();
    return 0;
}
