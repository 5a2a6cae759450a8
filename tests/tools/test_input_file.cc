// Every kind of bad input file is refused before parsing, naming the file and, for text, where.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>

#include "lib/input/input_file.h"
#include "lib/input/yaml_file.h"

using namespace offsched::tools;
namespace fs = std::filesystem;

namespace {
std::string tmp_file(const std::string& name, const std::string& bytes)
{
    const fs::path p = fs::temp_directory_path() / ("offsched-input-test-" + name);
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
}
// The message of the InputError reading path throws, or "" when it reads fine.
std::string refusal(const std::string& path, InputKind kind = InputKind::Text, size_t max = kMaxInputBytes)
{
    try {
        read_input_file(path, kind, max);
        return "";
    } catch (const InputError& e) {
        return e.what();
    }
}
std::string yaml_refusal(const std::string& path)
{
    try {
        load_yaml_file(path);
        return "";
    } catch (const InputError& e) {
        return e.what();
    }
}
} // namespace

TEST_CASE("input files that are not regular files are refused as what they are")
{
    CHECK(refusal(fs::temp_directory_path().string()).find("is a directory, not a file") != std::string::npos);
    CHECK(refusal("/dev/null").find("is a character device") != std::string::npos);
    CHECK(refusal("/nonexistent/offsched.yaml").find("cannot open: No such file or directory") != std::string::npos);
    const std::string fifo = (fs::temp_directory_path() / "offsched-input-test-fifo").string();
    fs::remove(fifo);
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(refusal(fifo).find("is a FIFO") != std::string::npos); // and does not block
    fs::remove(fifo);
}

TEST_CASE("text input must be UTF-8 without NUL bytes, the bad byte's line and column are named")
{
    CHECK(refusal(tmp_file("ok", "name: caf\xc3\xa9\n")).empty());
    CHECK(refusal(tmp_file("nul", std::string("a: 1\nb: x\0y\n", 12))).find(":2:5: contains a NUL byte") != std::string::npos);
    CHECK(refusal(tmp_file("latin1", "a: 1\nname: caf\xe9\n")).find(":2:10: byte 0xe9 is not valid UTF-8") != std::string::npos);
    CHECK(refusal(tmp_file("overlong", "a: \xc0\xaf\n")).find("not valid UTF-8") != std::string::npos);
    CHECK(refusal(tmp_file("surrogate", "a: \xed\xa0\x80\n")).find("not valid UTF-8") != std::string::npos);
    CHECK(refusal(tmp_file("cut", "a: \xe2\x82")).find("not valid UTF-8") != std::string::npos);
    // Binary input (a raw config) takes any byte.
    CHECK(refusal(tmp_file("bin", std::string("\0\xff\x01", 3)), InputKind::Binary).empty());
}

TEST_CASE("an input larger than its bound is refused before it is read")
{
    CHECK(refusal(tmp_file("big", std::string(4096, 'a')), InputKind::Text, 4095).find("4096 bytes, more than the 4095") !=
          std::string::npos);
}

TEST_CASE("YAML that is empty, nested beyond the parser or keyed by a list is refused with a place")
{
    CHECK(yaml_refusal(tmp_file("empty", "")).find(":1:1: the file is empty") != std::string::npos);
    CHECK(yaml_refusal(tmp_file("comment", "# only a comment\n")).find("the file is empty") != std::string::npos);
    CHECK(yaml_refusal(tmp_file("deep", "a: " + std::string(100000, '[') + "\n")).find("nested too deeply") != std::string::npos);
    CHECK(yaml_refusal(tmp_file("cxkey", "name: x\n? [a, b]\n: 1\n")).find(":2:3: a key must be a plain name") != std::string::npos);
}
