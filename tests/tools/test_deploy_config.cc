// offschedctl's configs for real machines: keys marked kFieldRandomOnDeploy get fresh random
// bytes unless the file sets them; everything else is exactly what the file and defaults say.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "services/registry.h"
#include "tools/lib/service_config.h"

using namespace offsched;

namespace {
uint64_t field_u64(const ServiceKind& k, const std::vector<uint8_t>& cfg, const char* name)
{
    for (uint32_t i = 0; i < k.schema.count; ++i)
        if (std::strcmp(k.schema.fields[i].name, name) == 0) {
            uint64_t v = 0;
            std::memcpy(&v, cfg.data() + k.schema.fields[i].offset, k.schema.fields[i].type == FieldType::U64 ? 8 : 4);
            return v;
        }
    FAIL("no field " << name);
    return 0;
}
std::string write_file(const std::string& text)
{
    const std::string path = (std::filesystem::temp_directory_path() / "offsched-deploy-test.yaml").string();
    std::ofstream(path) << text;
    return path;
}
} // namespace

TEST_CASE("a deployed firewall gets its own cookie key and hash seed unless the file sets them")
{
    const ServiceKind& fw = *find_service("firewall");
    std::vector<uint8_t> defaults(fw.config_size);
    fw.defaults(defaults.data());
    const auto a = tools::deploy_service_config(fw, write_file("synproxy: true\n"));
    const auto b = tools::deploy_service_config(fw, "");
    CHECK(field_u64(fw, a, "synproxy_secret") != field_u64(fw, defaults, "synproxy_secret"));
    CHECK(field_u64(fw, a, "synproxy_secret") != field_u64(fw, b, "synproxy_secret"));
    CHECK(field_u64(fw, a, "hash_seed") != field_u64(fw, b, "hash_seed"));
    CHECK(field_u64(fw, a, "synproxy_port_max") == 1023); // the rest: defaults and the file

    const auto fixed = tools::deploy_service_config(fw, write_file("synproxy_secret: 42\nhash_seed: 7\n"));
    CHECK(field_u64(fw, fixed, "synproxy_secret") == 42);
    CHECK(field_u64(fw, fixed, "hash_seed") == 7);
}
