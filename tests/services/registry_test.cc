// The registry table: every service has a row whose defaults validate, whose schema ranges
// accept those defaults, and whose create() builds a service that steps on an empty machine.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "fakes.h"
#include "frames.h"
#include "services/registry.h"

using namespace offsched;
using namespace offsched::test;

TEST_CASE("registry lists the six services by unique name")
{
    std::set<std::string> names;
    for (u32 i = 0; i < service_kind_count(); ++i) names.insert(service_kind(i).name);
    CHECK(names == std::set<std::string>{"firewall", "timer", "rt", "rtop", "napi", "echo"});
    CHECK(find_service("none") == nullptr);
    CHECK(find_service("firewal") == nullptr);
}

TEST_CASE("every registered service: defaults validate, create, step")
{
    for (u32 i = 0; i < service_kind_count(); ++i) {
        const ServiceKind& k = service_kind(i);
        INFO(k.name);
        std::vector<u8> cfg(k.config_size);
        k.defaults(cfg.data());
        ConfigError err;
        REQUIRE(k.validate(cfg.data(), &err));
        u32 bad = 0;
        CHECK(schema_check_ranges(k.schema, cfg.data(), &bad) == nullptr);
        for (u32 f = 0; f < k.schema.count; ++f) {
            CHECK(std::strlen(k.schema.fields[f].help) > 0);
            CHECK(std::strlen(k.schema.fields[f].source) > 0);
        }
        FakeEnv e;
        const size_t align = k.object_align < 64 ? 64 : k.object_align;
        void* storage = std::aligned_alloc(align, (k.object_size + align - 1) / align * align);
        Service* s = k.create(storage, e.env, cfg.data());
        CHECK(std::string(s->name()) == k.name);
        CHECK(s->stat_count() > 0);
        std::set<std::string> stat_names;
        for (u32 st = 0; st < s->stat_count(); ++st) stat_names.insert(s->stat_desc(st).name);
        CHECK(stat_names.size() == s->stat_count());
        e.queues[0].push(make(Pkt{}));
        s->step(8);
        std::free(storage);
    }
}
