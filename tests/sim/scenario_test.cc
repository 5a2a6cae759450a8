// Whole-machine scenarios: the claims the product makes, checked on the model.
#include "tests/sim/sim_fixture.h"

#include <nlohmann/json.hpp>

using namespace simtest;

TEST_CASE("smoke: default flood, baseline vs offsched")
{
    const SimParams p = default_params();
    auto r = run({baseline(p), offsched_design(p, {2, 3})});
    for (auto& x : r) WARN(to_json(x).dump(1));
}
