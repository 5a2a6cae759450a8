#include "tools/lib/yaml_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace offsched::tools {

YAML::Node load_yaml_file(const std::string& path)
{
    std::ifstream in(path);
    if (!in) throw InputError({path, 0, 0}, "", std::string("cannot open: ") + std::strerror(errno));
    std::stringstream text;
    text << in.rdbuf();
    try {
        return YAML::Load(text.str());
    } catch (const YAML::ParserException& e) {
        throw InputError({path, e.mark.line + 1, e.mark.column + 1}, "", "YAML syntax error: " + e.msg);
    }
}

YAML::Node node_at_path(const YAML::Node& root, std::string_view path)
{
    YAML::Node cur = root;
    size_t i = 0;
    while (i < path.size()) {
        YAML::Node next;
        if (path[i] == '[') {
            const size_t close = path.find(']', i);
            if (close == std::string_view::npos || !cur.IsSequence()) return cur;
            const size_t idx = std::stoul(std::string(path.substr(i + 1, close - i - 1)));
            if (idx >= cur.size()) return cur;
            next = cur[idx];
            i = close + 1;
        } else {
            if (path[i] == '.') ++i;
            const size_t end = path.find_first_of(".[", i);
            const std::string key(path.substr(i, end == std::string_view::npos ? path.npos : end - i));
            if (!cur.IsMap() || !cur[key]) return cur;
            next = cur[key];
            i = end == std::string_view::npos ? path.size() : end;
        }
        cur = next;
    }
    return cur;
}

} // namespace offsched::tools
