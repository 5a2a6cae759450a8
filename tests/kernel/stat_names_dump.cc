// Prints every registered service's counter names in StatDesc order, one line per service:
// "SERVICE NAME NAME ...". The kernel lifecycle test gives this list to the guest, which checks
// that `offschedctl stats` shows exactly these names for each service running on a dead CPU:
// the expectation comes from the service code itself, not from the module under test.
#include <cstdio>
#include <vector>

#include "services/registry.h"
#include "tests/services/fakes.h"

using namespace offsched;

int main()
{
    for (u32 i = 0; i < service_kind_count(); ++i) {
        const ServiceKind& k = service_kind(i);
        std::vector<u8> cfg(k.config_size);
        k.defaults(cfg.data());
        test::FakeEnv env;
        alignas(64) static unsigned char storage[1 << 22];
        if (k.object_size > sizeof storage || k.object_align > 64) {
            std::fprintf(stderr, "stat_names_dump: %s needs %u bytes\n", k.name, k.object_size);
            return 1;
        }
        Service* s = k.create(storage, env.env, cfg.data());
        std::printf("%s", k.name);
        for (u32 st = 0; st < s->stat_count(); ++st) std::printf(" %s", s->stat_desc(st).name);
        std::printf("\n");
    }
    return 0;
}
