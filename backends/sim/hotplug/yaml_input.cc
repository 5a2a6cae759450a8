#include "backends/sim/hotplug/yaml_input.h"

#include <fmt/format.h>

namespace offsched::sim::hotplug {

bool load_yaml_file(const std::string& path, const char* what, YAML::Node* out, std::string* error)
{
    try {
        *out = YAML::LoadFile(path);
    } catch (const YAML::BadFile&) {
        *error = fmt::format("{}: cannot read {}", path, what);
        return false;
    } catch (const YAML::ParserException& e) {
        *error = fmt::format("{}:{}: {}", path, e.mark.line + 1, e.msg);
        return false;
    }
    return true;
}

std::string input_error(const std::string& file, const YAML::Node& n, const std::string& field,
                        const std::string& what)
{
    return fmt::format("{}:{}: {}: {}", file, n.Mark().line + 1, field, what);
}

} // namespace offsched::sim::hotplug
