// A service config file (what offschedctl attach --config reads), any bytes, for every service:
// a config that validates, or an InputError; then the kernel module's own check of the binary
// form (schema ranges + validate) must accept what the loader accepted. Seeds: tests/kernel/*.yaml.
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

#include "services/registry.h"
#include "tools/lib/input_error.h"
#include "tools/lib/service_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const std::string path = "/tmp/offsched-fuzz-config-" + std::to_string(getpid()) + ".yaml";
    if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data, 1, size, f);
        std::fclose(f);
    } else {
        std::abort();
    }
    for (offsched::u32 i = 0; i < offsched::service_kind_count(); ++i) {
        const offsched::ServiceKind& k = offsched::service_kind(i);
        try {
            const std::vector<uint8_t> cfg = offsched::tools::load_service_config_file(k, path);
            offsched::u32 index = 0;
            offsched::ConfigError err;
            if (cfg.size() != k.config_size || offsched::schema_check_ranges(k.schema, cfg.data(), &index) ||
                !k.validate(cfg.data(), &err))
                std::abort(); // the module would refuse what the tool accepted
            (void)k.needs(cfg.data());
        } catch (const offsched::tools::InputError&) {
        }
    }
    return 0;
}
