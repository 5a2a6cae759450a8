#include "lib/input/yaml_file.h"

#include "lib/input/input_file.h"

namespace offsched::tools {

InputLocation location_of(const YAML::Node& node, const std::string& file)
{
    const YAML::Mark m = node.Mark();
    if (m.is_null()) return {file, 0, 0};
    return {file, m.line + 1, m.column + 1};
}


namespace {
// Keys must be plain scalars: `? [a, b]` (a sequence or map as a key) means nothing here. The
// walk is bounded: aliases can make a node its own descendant (a cycle) or expand exponentially
// (the "billion laughs"); past the bounds the file is refused, never walked forever.
constexpr int kMaxDepth = 64;
constexpr long kMaxNodes = 200000;

void reject_complex_keys(const YAML::Node& n, const std::string& path, int depth, long* budget)
{
    if (depth > kMaxDepth || --*budget < 0)
        throw InputError({path, n.Mark().line + 1, n.Mark().column + 1}, "",
                         depth > kMaxDepth ? "nested more than 64 levels deep (or an alias refers to itself)"
                                           : "expands to more than 200000 nodes (aliases?)");
    if (n.IsMap()) {
        for (const auto& kv : n) {
            if (!kv.first.IsScalar())
                throw InputError({path, kv.first.Mark().line + 1, kv.first.Mark().column + 1}, "",
                                 "a key must be a plain name, not a list or a map");
            reject_complex_keys(kv.second, path, depth + 1, budget);
        }
    } else if (n.IsSequence()) {
        for (const auto& e : n) reject_complex_keys(e, path, depth + 1, budget);
    }
}
} // namespace

YAML::Node load_yaml_file(const std::string& path)
{
    return parse_yaml_text(read_input_file(path, InputKind::Text), path);
}

YAML::Node parse_yaml_text(const std::string& text, const std::string& path)
{
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        // yaml-cpp reports a nesting too deep for it as "bad file" at the mark after the end.
        const std::string msg = e.msg == "bad file" ? "nested too deeply (or cut short)" : e.msg;
        throw InputError({path, e.mark.line + 1, e.mark.column + 1}, "", "YAML syntax error: " + msg);
    }
    if (!root.IsDefined() || root.IsNull()) throw InputError({path, 1, 1}, "", "the file is empty: nothing to read");
    long budget = kMaxNodes;
    reject_complex_keys(root, path, 0, &budget);
    return root;
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
