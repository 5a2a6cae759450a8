// Every file in tests/scenarios/bad/ starts with "# expect: <error>": loading it must fail with
// exactly that error (file:line:column, field, reason). Adding a case is adding a file.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "tools/lib/scenario_loader.h"

namespace fs = std::filesystem;

TEST_CASE("malformed scenarios fail with the error they declare")
{
    const fs::path dir = fs::path(OFFSCHED_SOURCE_DIR) / "tests/scenarios/bad";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".yaml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 10);
    for (const fs::path& file : files) {
        std::ifstream in(file);
        std::string first;
        std::getline(in, first);
        const std::string marker = "# expect: ";
        REQUIRE(first.rfind(marker, 0) == 0);
        const std::string expected = (dir / first.substr(marker.size())).string();
        INFO(file.filename().string());
        try {
            offsched::tools::load_scenario(file.string());
            FAIL("loaded without error");
        } catch (const offsched::tools::InputError& e) {
            CHECK_THAT(std::string(e.what()), Catch::StartsWith(expected));
        }
    }
}

TEST_CASE("set overrides: errors name the command line and the parameter")
{
    using offsched::tools::parse_override;
    const std::string file = std::string(OFFSCHED_SOURCE_DIR) + "/scenarios/syn_flood.yaml";
    CHECK_THROWS_WITH(offsched::tools::load_scenario(file, {parse_override("flood.rate=1M")}),
                      Catch::StartsWith("<command line>: field 'flood.rate': unknown parameter"));
    CHECK_THROWS_WITH(offsched::tools::load_scenario(file, {parse_override("machine.cores=100")}),
                      Catch::StartsWith("<command line>: field 'machine.cores': 100 is out of range [1, 64]"));
    CHECK_THROWS_WITH(parse_override("flood.rate_pps"), Catch::Contains("expected key=value"));
    // Shrinking the machine below the offloaded core is caught by the whole-scenario check.
    CHECK_THROWS_WITH(offsched::tools::load_scenario(file, {parse_override("machine.cores=2")}),
                      Catch::Contains("core 3 does not exist (machine.cores is 2)"));
}
