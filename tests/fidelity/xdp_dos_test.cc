// scenarios/xdp_dos.yaml against the shape of the DoS test in Hoiland-Jorgensen et al. (CoNEXT
// 2018): legitimate transactions per second versus attack rate. The stock path collapses as the
// attack grows; dropping the attack early holds the transaction rate until the dropper itself
// saturates, then declines.
#include <catch2/catch.hpp>

#include "tests/fidelity/sweep_curves.h"

using namespace offsched::fidelity;

TEST_CASE("xdp_dos: the stock path collapses under attack, early drop holds until it saturates")
{
    const auto curves = sweep("xdp_dos.yaml", "flood.rate_pps", {0, 1000000, 3000000, 10000000, 15000000, 25000000});
    INFO(table("flood.rate_pps", curves));
    REQUIRE(curves.count("stock") == 1);
    REQUIRE(curves.count("early_drop") == 1);
    REQUIRE(curves.count("xdp") == 1);
    const Curve& stock = curves.at("stock");
    const Curve& xdp = curves.at("xdp");
    const Curve& early = curves.at("early_drop");
    const uint64_t offered = stock.output[0]; // no attack: every transaction is served
    CHECK(offered * 100 >= 30000 * 99);
    CHECK(early.output[0] == offered);
    CHECK(xdp.output[0] == offered);

    // Stock: monotone decline, halved by 3 Mpps, under 10% of the unattacked rate from 10 Mpps.
    for (size_t i = 1; i < stock.output.size(); ++i) CHECK(stock.output[i] <= stock.output[i - 1]);
    CHECK(stock.output[2] * 2 < offered);
    CHECK(stock.output[3] * 10 < offered);
    CHECK(stock.output.back() * 10 < offered);

    // XDP in the driver, on the same single core: within 2% of the unattacked rate up to 10 Mpps,
    // then the drops and the server share the core and it declines, far above the stock path.
    for (size_t i = 0; i <= 3; ++i) CHECK(xdp.output[i] * 100 >= offered * 98);
    CHECK(xdp.output.back() < xdp.output[3]);
    CHECK(xdp.output.back() > 5 * stock.output.back());

    // Early drop on an offloaded core: within 2% of the unattacked rate up to 15 Mpps...
    for (size_t i = 0; i <= 4; ++i) CHECK(early.output[i] * 100 >= offered * 98);
    // ...then the dropping core saturates (~20 Mpps at ~150 cycles a packet): it declines, but
    // stays far above the stock path.
    CHECK(early.output.back() < early.output[4]);
    CHECK(early.output.back() > 5 * stock.output.back());
}
