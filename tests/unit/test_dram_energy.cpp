// DRAM energy against hand computations from the preset's datasheet currents (DRAMPower's
// formulas, docs/dram.md), and power-down lowering the background energy of an idle DRAM.
#include <gtest/gtest.h>

#include "dram/address_mapping.h"
#include "dram/dram_controller.h"
#include "dram/dram_energy.h"

using namespace rcsim;
using namespace rcsim::dram;

namespace {
double rel(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-30); }
}  // namespace

// Per 64-byte DDR4-3200 read burst, 4 devices: BL/2 = 4 tCK = 2.5 ns at
// VDD 1.2 V x (IDD4R 302 - IDD3N 56) mA + VPP 2.5 V x (3 - 3) mA = 295.2 mW per device:
// 0.738 nJ per device, 2.952 nJ per burst.
TEST(DramEnergy, ReadBurstsMatchHandComputation) {
  const DramConfig c = load_dram_config("ddr4-3200");
  DramController ctrl(c);
  ctrl.submit_bytes(0, 1000 * 64, false, 0);
  ctrl.run_until_idle();
  ASSERT_EQ(ctrl.stats().reads, 1000);
  const DramEnergy e = dram_energy(c, ctrl.stats());
  EXPECT_LT(rel(e.read_j, 1000 * 2.952e-9), 1e-12);
  EXPECT_EQ(e.write_j, 0.0);
  // One ACT: tRAS 52 tCK = 32.5 ns x [1.2 V x (95 - 56) mA + 2.5 V x (4 - 3) mA] = 1.60225 nJ per device.
  EXPECT_LT(rel(e.activate_j, double(ctrl.stats().activates) * 4 * 32.5e-9 * (1.2 * 39e-3 + 2.5 * 1e-3)), 1e-12);
  EXPECT_LT(rel(e.activate_j / double(ctrl.stats().activates), 4 * 1.60225e-9), 1e-12);
}

// One REF: tRFC 560 tCK = 350 ns x [1.2 V x (280 - 56) mA + 2.5 V x (28 - 3) mA] = 115.955 nJ per
// device; the rest of an idle DRAM is precharge standby at 1.2 x 37 + 2.5 x 3 = 51.9 mW per device.
TEST(DramEnergy, IdleDramIsRefreshPlusStandby) {
  const DramConfig c = load_dram_config("ddr4-3200");
  DramController ctrl(c);
  const Cycle horizon = 4 * Cycle(c.timing.trefi) + 1000;
  ctrl.advance(horizon);
  const DramEnergy e = dram_energy(c, ctrl.stats());
  EXPECT_EQ(ctrl.stats().refreshes, 4);
  EXPECT_LT(rel(e.refresh_j, 4 * 4 * 115.955e-9), 1e-12);
  const double standby_s = double(horizon - 4 * 560) * 0.625e-9, refreshing_s = 4 * 350e-9;
  EXPECT_LT(rel(e.precharge_standby_j, 4 * standby_s * 51.9e-3), 1e-12);
  // During tRFC the background is IDD3N (1.2 x 56 + 2.5 x 3 = 74.7 mW), as in DRAMPower.
  EXPECT_LT(rel(e.active_standby_j, 4 * refreshing_s * 74.7e-3), 1e-12);
  EXPECT_EQ(e.activate_j + e.precharge_j + e.read_j + e.write_j, 0.0);
  EXPECT_LT(rel(e.total_j(), e.command_j() + e.background_j()), 1e-15);
}

// The same sparse reads with and without power-down: identical commands, lower background energy,
// and the difference is exactly the power-down cycles times (IDD3N - IDD3P) resp. (IDD2N - IDD2P).
TEST(DramEnergy, PowerDownLowersBackgroundEnergy) {
  DramConfig on = load_dram_config("ddr4-3200"), off = on;
  on.controller.powerdown_idle_ck = 64;
  on.controller.page_policy = off.controller.page_policy = PagePolicy::Closed;
  auto run = [](const DramConfig& c) {
    DramController ctrl(c);
    for (int i = 0; i < 200; ++i) ctrl.submit({std::uint64_t(i) * 4096 * 64, false, Cycle(i) * 3000});
    ctrl.run_until_idle();
    ctrl.advance(200 * 3000);
    return ctrl.stats();
  };
  const DramStats s_on = run(on), s_off = run(off);
  EXPECT_EQ(s_on.reads, s_off.reads);
  EXPECT_EQ(s_on.refreshes, s_off.refreshes);
  EXPECT_GT(s_on.precharge_powerdown_cycles, 0);
  const DramEnergy e_on = dram_energy(on, s_on), e_off = dram_energy(off, s_off);
  EXPECT_LT(e_on.background_j(), 0.8 * e_off.background_j());
  EXPECT_LT(e_on.total_j(), e_off.total_j());
  // Each power-down exit delays the next access by tXP: the standby cycles grow by that much.
  const double tck = on.tck_s(), dev = 4;
  const double expect_saving =
      dev * tck *
      (double(s_on.precharge_powerdown_cycles) * (1.2 * (37 - 25) + 2.5 * 0) * 1e-3 +
       double(s_on.active_powerdown_cycles) * (1.2 * (56 - 47)) * 1e-3 -
       double(s_on.active_standby_cycles - s_off.active_standby_cycles + s_on.refreshing_cycles - s_off.refreshing_cycles) *
           (1.2 * 56 + 2.5 * 3) * 1e-3 -
       double(s_on.precharge_standby_cycles + s_on.precharge_powerdown_cycles + s_on.active_powerdown_cycles -
              s_off.precharge_standby_cycles) *
           (1.2 * 37 + 2.5 * 3) * 1e-3);
  EXPECT_LT(rel(e_off.background_j() - e_on.background_j(), expect_saving), 1e-9);
}

// LPDDR4 has two rails (VDD1 1.8 V, VDD2 1.1 V); a write burst of BL16 = 8 tCK = 5 ns costs
// 1.8 x (2.25 - 2.25) + 1.1 x (210 - 30) mA = 198 mW: 0.99 nJ per 32-byte burst.
TEST(DramEnergy, LpddrWriteBurstsUseBothRails) {
  const DramConfig c = load_dram_config("lpddr4-3200");
  DramController ctrl(c);
  ctrl.submit_bytes(0, 500 * 32, true, 0);
  ctrl.run_until_idle();
  ASSERT_EQ(ctrl.stats().writes, 500);
  EXPECT_LT(rel(dram_energy(c, ctrl.stats()).write_j, 500 * 0.99e-9), 1e-12);
}

TEST(DramEnergy, JsonHasEveryComponent) {
  DramEnergy e;
  e.read_j = 1;
  e.self_refresh_j = 2;
  const auto j = to_json(e);
  EXPECT_EQ(j.at("total_j"), 3.0);
  EXPECT_EQ(j.at("command_j"), 1.0);
  EXPECT_EQ(j.at("background_j"), 2.0);
  EXPECT_EQ(j.size(), 13u);
}
