// What `--version` prints, the same for every tool: "offsched 0.5.0 (git 1a2b3c4d5e6f)".
#pragma once

#include <string>

namespace offsched::tools {

std::string version_line(const std::string& tool);

} // namespace offsched::tools
