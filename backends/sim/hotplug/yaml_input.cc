#include "backends/sim/hotplug/yaml_input.h"

#include "lib/input/yaml_file.h"

namespace offsched::sim::hotplug {

// The shared loader (lib/input): the same checks (a directory, a binary file, bad UTF-8) and the
// same file:line:column errors as every other input.
bool load_yaml_file(const std::string& path, YAML::Node* out, std::string* error)
{
    try {
        *out = tools::load_yaml_file(path);
    } catch (const tools::InputError& e) {
        *error = e.what();
        return false;
    }
    return true;
}

std::string input_error(const std::string& file, const YAML::Node& n, const std::string& field,
                        const std::string& what)
{
    return tools::InputError(tools::location_of(n, file), field, what).what();
}

} // namespace offsched::sim::hotplug
