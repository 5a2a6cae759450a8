// SystemC elaborates once per process, so every unit test that builds modules runs its body in
// a forked child and sends back what it measured as JSON; the parent makes the assertions.
#pragma once

#include <functional>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "backends/sim/run/child_process.h"

namespace simtest {

inline nlohmann::json in_child(const std::function<nlohmann::json()>& body)
{
    offsched::sim::ChildProcess c;
    std::string error;
    REQUIRE(offsched::sim::start_child(
        [&body]() -> std::string {
            try {
                return body().dump();
            } catch (const std::exception& e) {
                return nlohmann::json{{"exception", e.what()}}.dump();
            }
        },
        &c, &error));
    const offsched::sim::ChildResult r = offsched::sim::finish_child(c);
    INFO("child output: " << r.text);
    INFO("child " << r.describe());
    REQUIRE(r.ok());
    nlohmann::json j = nlohmann::json::parse(r.text);
    if (j.is_object() && j.contains("exception")) FAIL("child threw: " << j["exception"].get<std::string>());
    return j;
}

} // namespace simtest
