// The schema-driven loader is what every config goes through (scenarios, service configs,
// offschedctl), so its errors are tested here on a struct with one field of every type.
#include <catch2/catch.hpp>

#include <cstddef>

#include "tools/lib/schema_yaml.h"

using namespace offsched;
using namespace offsched::tools;

namespace {

struct Port { uint32_t port; };
struct Rule {
    Ipv4Cidr src;
    uint32_t action;
};
struct Sample {
    uint32_t queues;
    uint64_t window_ns;
    bool enabled;
    uint32_t mode;
    uint32_t server;
    char label[8];
    uint32_t rule_count;
    Rule rules[3];
    uint32_t port_count;
    Port ports[4];
};

constexpr const char* kModes[] = {"poll", "irq", nullptr};
constexpr const char* kActions[] = {"allow", "drop", nullptr};
constexpr FieldDesc kRuleFields[] = {
    {"src", FieldType::Cidr, offsetof(Rule, src), 0, 0, "", "source prefix", "", nullptr, nullptr, 0, 0, 0},
    {"action", FieldType::Enum, offsetof(Rule, action), 0, 0, "", "what to do", "", kActions, nullptr, 0, 0, 0},
};
constexpr FieldDesc kPortFields[] = {
    {"", FieldType::U32, 0, 1, 65535, "", "port", "", nullptr, nullptr, 0, 0, 0},
};
constexpr FieldDesc kFields[] = {
    {"queues", FieldType::U32, offsetof(Sample, queues), 1, 64, "", "queues", "", nullptr, nullptr, 0, 0, 0},
    {"window", FieldType::U64, offsetof(Sample, window_ns), 0, 1000000000, "ns", "window", "", nullptr, nullptr, 0, 0, 0},
    {"enabled", FieldType::Bool, offsetof(Sample, enabled), 0, 0, "", "on", "", nullptr, nullptr, 0, 0, 0},
    {"mode", FieldType::Enum, offsetof(Sample, mode), 0, 0, "", "mode", "", kModes, nullptr, 0, 0, 0},
    {"server", FieldType::Ipv4, offsetof(Sample, server), 0, 0, "", "server", "", nullptr, nullptr, 0, 0, 0},
    {"label", FieldType::Str, offsetof(Sample, label), 0, 8, "", "label", "", nullptr, nullptr, 0, 0, 0},
    {"rules", FieldType::Array, offsetof(Sample, rules), 0, 3, "", "rules", "", nullptr, kRuleFields, 2, sizeof(Rule),
     offsetof(Sample, rule_count)},
    {"ports", FieldType::Array, offsetof(Sample, ports), 0, 4, "", "ports", "", nullptr, kPortFields, 1, sizeof(Port),
     offsetof(Sample, port_count)},
};
constexpr Schema kSchema{kFields, 8};

Sample load(const std::string& yaml)
{
    Sample s{};
    s.queues = 4;
    load_struct(kSchema, YAML::Load(yaml), &s, "cfg.yaml", "svc");
    return s;
}

std::string error_of(const std::string& yaml)
{
    try {
        load(yaml);
    } catch (const InputError& e) {
        return e.what();
    }
    FAIL("no error for: " << yaml);
    return "";
}

} // namespace

TEST_CASE("every field type loads, absent keys keep their defaults")
{
    const Sample s = load("window: 2ms\nenabled: true\nmode: irq\nserver: 192.0.2.1\nlabel: fw\n"
                          "rules:\n  - {src: 10.0.0.0/8, action: drop}\n  - {src: 0.0.0.0/0, action: allow}\n"
                          "ports: [22, 80]\n");
    CHECK(s.queues == 4);
    CHECK(s.window_ns == 2000000);
    CHECK(s.enabled);
    CHECK(s.mode == 1);
    CHECK(s.server == 0xc0000201u);
    CHECK(std::string(s.label) == "fw");
    REQUIRE(s.rule_count == 2);
    CHECK(s.rules[0].src.prefix_len == 8);
    CHECK(s.rules[0].action == 1);
    CHECK(s.rules[1].action == 0);
    REQUIRE(s.port_count == 2);
    CHECK(s.ports[1].port == 80);

    const auto j = struct_to_json(kSchema, &s);
    CHECK(j["rules"][0]["src"] == "10.0.0.0/8");
    CHECK(j["ports"][1] == 80);
    CHECK(j["mode"] == "irq");
}

TEST_CASE("errors name file, line, column and the dotted field")
{
    CHECK(error_of("queues: 4\nqueus: 2\n") ==
          "cfg.yaml:2:1: field 'svc.queus': unknown key; 'svc' takes queues, window, enabled, mode, server, label, rules or ports");
    CHECK(error_of("queues: 65\n") == "cfg.yaml:1:9: field 'svc.queues': 65 is out of range [1, 64]");
    CHECK(error_of("mode: turbo\n") == "cfg.yaml:1:7: field 'svc.mode': 'turbo' is not one of: poll, irq");
    CHECK(error_of("rules:\n  - {src: 10.0.0.0/8, action: drop}\n  - {src: 10.0.0.1/8, action: drop}\n") ==
          "cfg.yaml:3:11: field 'svc.rules[1].src': '10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?");
    CHECK_THAT(error_of("ports: [22, 0]\n"), Catch::StartsWith("cfg.yaml:1:13: field 'svc.ports[1]': 0 is out of range"));
    CHECK_THAT(error_of("rules: [{}, {}, {}, {}]\n"), Catch::Contains("has 4 entries, expected 0 to 3"));
    CHECK_THAT(error_of("queues: 1\nqueues: 2\n"), Catch::StartsWith("cfg.yaml:2:1: field 'svc.queues': duplicate key"));
    CHECK_THAT(error_of("label: toolonglabel\n"), Catch::Contains("longer than 7 characters"));
    CHECK_THAT(error_of("enabled: yes\n"), Catch::Contains("expected true or false"));
    CHECK_THAT(error_of("queues: [1]\n"), Catch::Contains("expected a single value"));
    CHECK_THAT(error_of("- 1\n"), Catch::Contains("expected a map of queues"));
}

TEST_CASE("set-style text assignment uses the same checks")
{
    Sample s{};
    const InputLocation cli{"<command line>", 0, 0};
    set_field_text(kSchema, &s, "window", "1.5us", cli, "svc.window");
    CHECK(s.window_ns == 1500);
    try {
        set_field_text(kSchema, &s, "rules", "x", cli, "svc.rules");
        FAIL("lists must not be settable");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()) == "<command line>: field 'svc.rules': lists cannot be set from the command line");
    }
    CHECK_THROWS_WITH(set_field_text(kSchema, &s, "nope", "1", cli, "svc.nope"), Catch::Contains("unknown parameter"));
}
