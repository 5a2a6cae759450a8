// docs/MODEL.md's parameter tables are generated from the schemas: a changed default, range or
// source without a regenerated doc fails here.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "backends/sim/run/model_doc.h"

TEST_CASE("docs/MODEL.md parameter tables match backends/sim/run/params.cc")
{
    std::ifstream in(OFFSCHED_SOURCE_DIR "/docs/MODEL.md");
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string regenerated;
    REQUIRE(offsched::sim::replace_generated_block(ss.str(), offsched::sim::model_doc_tables(), &regenerated));
    INFO("docs/MODEL.md is stale: run `offsched-sim-doc --update docs/MODEL.md` from the build's bin/");
    CHECK(regenerated == ss.str());
}
