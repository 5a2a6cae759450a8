#include "services/registry.h"

#include "services/echo/echo.h"
#include "services/firewall/firewall.h"
#include "services/napi/napi.h"
#include "services/rt/rt.h"
#include "services/rtop/rtop.h"
#include "services/timer/timer.h"

// Add one row per service. Keep rows constant expressions (see make_service_kind).

namespace offsched {

namespace {
constexpr ServiceKind kKinds[] = {
    make_service_kind<Firewall>("firewall", "packet filter with per-source rate limits, a global SYN limit and a SYN proxy (cookies, sequence translation)"),
    make_service_kind<Timer>("timer", "1 us one-shot and periodic timers fired by polling the cycle counter, requests and completions over lock-free rings"),
    make_service_kind<Rt>("rt", "real-time executive: periodic jobs under EDF or rate monotonic, deadline misses and overruns per job"),
    make_service_kind<Rtop>("rtop", "remote top: streams the OS's per-cpu statistics as versioned UDP datagrams without using an OS cpu"),
    make_service_kind<Napi>("napi", "offloaded NAPI: validates, GRO-coalesces and RFS-steers received frames to the owning OS cpu"),
    make_service_kind<Echo>("echo", "answers each request from an online cpu with a timestamped reply and reads the OS statistics page: a probe of the channels"),
};

bool same(const char* a, const char* b)
{
    while (*a && *a == *b) { ++a; ++b; }
    return *a == *b;
}
} // namespace

const ServiceKind* find_service(const char* name)
{
    for (const ServiceKind& k : kKinds)
        if (k.create && same(k.name, name)) return &k;
    return nullptr;
}

u32 service_kind_count() { return static_cast<u32>(array_size(kKinds)); }
const ServiceKind& service_kind(u32 i) { return kKinds[i]; }

} // namespace offsched
