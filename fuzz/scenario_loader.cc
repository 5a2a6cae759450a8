// A scenario file, any bytes: the loader either returns a scenario that serialises to JSON (the
// resolved scenario offsched-sim --json writes) or throws InputError. Anything else (another
// exception, a crash, a sanitizer report) is a finding. Seeds: scenarios/*.yaml and
// tests/scenarios/bad/*.yaml.
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

#include "tools/lib/input_error.h"
#include "tools/lib/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // The loader reads files (through the same checks as any input): write the bytes to one.
    static const std::string path = "/tmp/offsched-fuzz-scenario-" + std::to_string(getpid()) + ".yaml";
    if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data, 1, size, f);
        std::fclose(f);
    } else {
        std::abort();
    }
    try {
        const offsched::sim::Scenario s = offsched::tools::load_scenario(path);
        const std::string json = offsched::tools::scenario_to_json(s).dump(2); // must be valid UTF-8
        if (json.empty()) std::abort();
    } catch (const offsched::tools::InputError&) {
        // refused with a place: the expected outcome for most inputs
    }
    return 0;
}
