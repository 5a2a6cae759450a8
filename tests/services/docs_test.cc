// docs/SERVICES.md must document every config field and counter of every registered service
// (per-job/per-rule counters as their jobN_/ruleN_ pattern), so the docs cannot silently drift.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fakes.h"
#include "services/registry.h"

using namespace offsched;
using namespace offsched::test;

namespace {
std::string read_docs()
{
    std::ifstream in(OFFSCHED_DOCS_DIR "/SERVICES.md");
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The text of "## name" up to the next "## ".
std::string section(const std::string& doc, const std::string& name)
{
    const size_t at = doc.find("\n## " + name + "\n");
    REQUIRE(at != std::string::npos);
    const size_t end = doc.find("\n## ", at + 4);
    return doc.substr(at, end == std::string::npos ? std::string::npos : end - at);
}
// "rule12_hits" -> "ruleN_hits", "job3_misses" -> "jobN_misses": the docs list a numbered family
// once. (No <regex>: GCC 12 warns inside it under the sanitizers, and the build stays quiet.)
std::string numbered_as_n(const std::string& name)
{
    for (const std::string prefix : {"job", "rule"}) {
        if (name.rfind(prefix, 0) != 0) continue;
        size_t i = prefix.size();
        while (i < name.size() && name[i] >= '0' && name[i] <= '9') ++i;
        if (i > prefix.size() && i < name.size() && name[i] == '_') return prefix + "N" + name.substr(i);
    }
    return name;
}
} // namespace

TEST_CASE("docs/SERVICES.md documents every field and counter")
{
    const std::string doc = read_docs();
    for (u32 i = 0; i < service_kind_count(); ++i) {
        const ServiceKind& k = service_kind(i);
        INFO(k.name);
        const std::string sec = section(doc, k.name);
        for (u32 f = 0; f < k.schema.count; ++f) {
            const FieldDesc& fd = k.schema.fields[f];
            CHECK(sec.find(std::string("`") + fd.name + "`") != std::string::npos);
            for (u32 e = 0; e < fd.elem_field_count; ++e)
                CHECK(sec.find(std::string("`") + fd.name + "[]." + fd.elem[e].name + "`") != std::string::npos);
        }
        std::vector<u8> cfg(k.config_size);
        k.defaults(cfg.data());
        FakeEnv env;
        void* storage = std::aligned_alloc(64, (k.object_size + 63) / 64 * 64);
        Service* s = k.create(storage, env.env, cfg.data());
        for (u32 st = 0; st < s->stat_count(); ++st) {
            const std::string name = numbered_as_n(s->stat_desc(st).name);
            INFO(name);
            CHECK(sec.find("`" + name + "`") != std::string::npos);
        }
        std::free(storage);
    }
}
