// The firewall as its unit tests build it: defaults without the global SYN limit (it would
// ration the tests' SYNs), validated, on a FakeEnv.
#pragma once

#include <memory>

#include <catch2/catch.hpp>

#include "fakes.h"
#include "services/firewall/firewall.h"

namespace offsched::test {

inline Firewall::Config base_config()
{
    Firewall::Config c;
    Firewall::defaults(c);
    c.syn_limit = false;
    return c;
}

inline std::unique_ptr<Firewall> make_fw(FakeEnv& e, const Firewall::Config& c)
{
    ConfigError err;
    REQUIRE(Firewall::validate(c, err));
    return std::make_unique<Firewall>(e.env, c);
}

} // namespace offsched::test
