// A fresh temporary directory per test, removed afterwards.
#pragma once

#include <filesystem>
#include <string>

#include <unistd.h>

namespace offsched::test {

class TestDir {
public:
    TestDir()
    {
        std::string tmpl = (std::filesystem::temp_directory_path() / "offsched-trace-XXXXXX").string();
        path_ = mkdtemp(tmpl.data());
    }
    ~TestDir() { if (!std::getenv("KEEP_TEST_DIR")) std::filesystem::remove_all(path_); }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

} // namespace offsched::test
