#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tools/lib/atomic_file.h"

namespace fs = std::filesystem;
using offsched::tools::write_file_atomically;

TEST_CASE("output files are replaced whole, and a failed write leaves nothing behind")
{
    const fs::path dir = fs::temp_directory_path() / ("offsched_atomic_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path file = dir / "out.json";
    std::string error;
    REQUIRE(write_file_atomically(file, "first", &error));
    REQUIRE(write_file_atomically(file, "second", &error));
    std::ifstream in(file);
    std::stringstream got;
    got << in.rdbuf();
    CHECK(got.str() == "second");

    CHECK_FALSE(write_file_atomically((dir / "missing" / "out.json").string(), "x", &error));
    CHECK_THAT(error, Catch::Contains("missing/out.json"));
    size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
    CHECK(entries == 1); // no temporary left over
    fs::remove_all(dir);
}
