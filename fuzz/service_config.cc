// A service config file (what offschedctl attach --config reads), any bytes, for every service:
// a config that validates, or an InputError; then the kernel module's own check of the binary
// form (schema ranges + validate, and the prefix sets' data image) must accept what the loader
// accepted. Seeds: tests/kernel/*.yaml.
#include <cstdlib>
#include <string>

#include "services/registry.h"
#include "lib/input/input_error.h"
#include "lib/input/input_file.h"
#include "tools/lib/service_config.h"
#include "lib/input/yaml_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // The bytes as load_service_config_file sees them after reading the file, parsed once and
    // then read as each service's config.
    const std::string text(reinterpret_cast<const char*>(data), size);
    YAML::Node root;
    try {
        offsched::tools::check_input_text(text, "fuzz.yaml");
        root = offsched::tools::parse_yaml_text(text, "fuzz.yaml");
    } catch (const offsched::tools::InputError&) {
        return 0;
    }
    for (offsched::u32 i = 0; i < offsched::service_kind_count(); ++i) {
        const offsched::ServiceKind& k = offsched::service_kind(i);
        try {
            const std::vector<uint8_t> cfg = offsched::tools::load_service_config(k, root, "fuzz.yaml", "");
            offsched::u32 index = 0;
            offsched::ConfigError err;
            if (cfg.size() < k.config_size || offsched::schema_check_ranges(k.schema, cfg.data(), &index) ||
                !k.validate(cfg.data(), &err))
                std::abort(); // the module would refuse what the tool accepted
            // A config naming a prefix file carries its sets after the struct: checked as the module does.
            const offsched::ConfigData d = offsched::config_data(cfg.data(), k.config_size, cfg.size());
            if (offsched::schema_check_data(k.schema, cfg.data(), d.image, d.bytes, &index, nullptr)) std::abort();
            (void)k.needs(cfg.data());
        } catch (const offsched::tools::InputError&) {
        }
    }
    return 0;
}
