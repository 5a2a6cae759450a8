// A directory tree in /tmp for host-side tests of tools that read files (a fake sysfs, a
// machine file): files put by relative path, all removed at the end.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace offsched::test {

struct TempTree {
    TempTree()
    {
        char tmpl[] = "/tmp/offsched-test.XXXXXX";
        root = mkdtemp(tmpl);
    }
    ~TempTree() { std::filesystem::remove_all(root); }
    TempTree(const TempTree&) = delete;
    TempTree& operator=(const TempTree&) = delete;
    // Writes text at root/rel (directories made as needed); returns the full path.
    std::string put(const std::string& rel, const std::string& text)
    {
        const std::filesystem::path p = root / rel;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p) << text;
        return p.string();
    }
    std::filesystem::path root;
};

} // namespace offsched::test
