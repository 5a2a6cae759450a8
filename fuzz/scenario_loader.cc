// A scenario file, any bytes: the loader either returns a scenario that serialises to JSON (the
// resolved scenario offsched-sim --json writes) or throws InputError. Anything else (another
// exception, a crash, a sanitizer report) is a finding. Seeds: scenarios/*.yaml and
// tests/scenarios/bad/*.yaml.
#include <cstdlib>
#include <string>

#include "lib/input/input_error.h"
#include "lib/input/input_file.h"
#include "tools/lib/scenario_loader.h"
#include "lib/input/yaml_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // The bytes as load_scenario sees them after reading the file (the file checks themselves -
    // regular, readable, bounded - have their own tests): text checks, YAML, the scenario.
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        offsched::tools::check_input_text(text, "fuzz.yaml");
        const offsched::sim::Scenario s =
            offsched::tools::scenario_from_yaml(offsched::tools::parse_yaml_text(text, "fuzz.yaml"), "fuzz.yaml");
        const std::string json = offsched::tools::scenario_to_json(s).dump(2); // must be valid UTF-8
        if (json.empty()) std::abort();
    } catch (const offsched::tools::InputError&) {
        // refused with a place: the expected outcome for most inputs
    }
    return 0;
}
