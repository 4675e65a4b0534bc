// Governor policies on small synthetic traces whose answers follow from the table by hand.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <random>

#include "core/errors.h"
#include "sweep/governor.h"

using namespace rcsim;
using namespace rcsim::sweep;

namespace {

// Widths 1..4: latency 1..4 ms, energy 1,2,4,8 mJ (power 1, 1, 1.33, 2 W), accuracy rising.
// Clock 1 MHz (1000 cycles per ms). Widening adds `widen_j` per group and `widen_s` per group.
WidthTable table(double widen_j = 0, double widen_s = 0) {
  WidthTable t;
  const double lat[] = {1e-3, 2e-3, 3e-3, 4e-3}, e[] = {1e-3, 2e-3, 4e-3, 8e-3}, acc[] = {0.90, 0.95, 0.97, 0.98};
  for (int w = 1; w <= 4; ++w)
    t.widths.push_back({w, std::int64_t(lat[w - 1] * 1e6), lat[w - 1], e[w - 1], e[w - 1] / lat[w - 1], acc[w - 1]});
  t.reconfig_j.assign(4, std::vector<double>(4, 0));
  t.reconfig_s.assign(4, std::vector<double>(4, 0));
  for (int a = 0; a < 4; ++a)
    for (int b = a + 1; b < 4; ++b) {
      t.reconfig_j[a][b] = (b - a) * widen_j;
      t.reconfig_s[a][b] = (b - a) * widen_s;
    }
  return t;
}

// Requests one second apart (no queueing) with the given constraints.
std::vector<Request> spaced(const std::vector<Request>& rs) {
  std::vector<Request> out = rs;
  for (std::size_t i = 0; i < out.size(); ++i) out[i].time_s = double(i);
  return out;
}

std::vector<int> widths(const std::vector<Decision>& d) {
  std::vector<int> w;
  for (const auto& x : d) w.push_back(x.width);
  return w;
}

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TEST(Governor, FixedPolicyPaysOneWideningThenNothing) {
  const auto trace = spaced({{0, kInf, kInf, 0, kNaN}, {0, kInf, kInf, 0, kNaN}, {0, kInf, kInf, 0, kNaN}});
  const auto d = replay(table(0.5e-3, 0.25e-3), trace, parse_policy("fixed:4"), 1);
  EXPECT_EQ(widths(d), (std::vector<int>{4, 4, 4}));
  EXPECT_DOUBLE_EQ(d[0].reconfig_j, 1.5e-3);               // groups 2, 3, 4 re-enabled
  EXPECT_DOUBLE_EQ(d[0].response_s, 0.75e-3 + 4e-3);       // reload time + latency
  EXPECT_DOUBLE_EQ(d[1].reconfig_j, 0);
  const GovernorTotals t = totals(d);
  EXPECT_DOUBLE_EQ(t.energy_j, 3 * 8e-3 + 1.5e-3);
  EXPECT_EQ(t.reconfigurations, 1u);  // 1 → 4 before the first request, then none
  EXPECT_NEAR(t.mean_accuracy, 0.98, 1e-12);
}

TEST(Governor, DeadlinePolicyPicksWidestMeetingDeadlineAndPower) {
  const auto trace = spaced({{0, 10e-3, kInf, 0, kNaN},    // all fit → 4
                             {0, 2.5e-3, kInf, 0, kNaN},   // 1 or 2 fit → 2
                             {0, 0.5e-3, kInf, 0, kNaN},   // none fits → narrowest, a miss
                             {0, 10e-3, 1.2, 0, kNaN}});   // power ≤ 1.2 W → 2
  const auto d = replay(table(), trace, parse_policy("deadline"), 4);
  EXPECT_EQ(widths(d), (std::vector<int>{4, 2, 1, 2}));
  EXPECT_TRUE(d[1].deadline_met);
  EXPECT_FALSE(d[2].deadline_met);
  EXPECT_TRUE(d[3].power_ok);
  EXPECT_EQ(totals(d).deadline_misses, 1u);
  EXPECT_EQ(totals(d).reconfigurations, 3u);
}

TEST(Governor, DeadlinePolicyCountsQueueingAndReloadTime) {
  // Two requests arrive together with 5 ms deadlines: the first takes width 4 (4 ms), the
  // second waits 4 ms and only width 1 (1 ms) still makes it.
  const std::vector<Request> together = {{0, 5e-3, kInf, 0, kNaN}, {0, 5e-3, kInf, 0, kNaN}};
  EXPECT_EQ(widths(replay(table(), together, parse_policy("deadline"), 4)), (std::vector<int>{4, 1}));
  // Starting at width 1 with 0.6 ms to re-enable each group: width 4 needs 1.8 + 4 ms > 5 ms,
  // width 3 needs 1.2 + 3 ms ≤ 5 ms.
  const auto d = replay(table(0, 0.6e-3), spaced({{0, 5e-3, kInf, 0, kNaN}}), parse_policy("deadline"), 1);
  EXPECT_EQ(widths(d), (std::vector<int>{3}));
  EXPECT_NEAR(d[0].response_s, 4.2e-3, 1e-15);
}

TEST(Governor, DeadlineLookAheadLeavesRoomForTheQueue) {
  // Three requests at t = 0, 4 ms deadlines. Greedy serves the first at width 4 (finish 4 ms)
  // and the other two miss (5, 6 ms); width 1 throughout meets all (1, 2, 3 ms). Planning over
  // the queue: width 2 for the first (2 ms), then width 1 (3 ms, 4 ms) — no miss, widest first.
  const std::vector<Request> burst(3, Request{0, 4e-3, kInf, 0, kNaN});
  const auto greedy = replay(table(), burst, parse_policy("deadline-greedy"), 4);
  EXPECT_EQ(widths(greedy), (std::vector<int>{4, 1, 1}));
  EXPECT_EQ(totals(greedy).deadline_misses, 2u);
  EXPECT_EQ(totals(replay(table(), burst, parse_policy("fixed:1"), 4)).deadline_misses, 0u);
  const auto ahead = replay(table(), burst, parse_policy("deadline"), 4);
  EXPECT_EQ(widths(ahead), (std::vector<int>{2, 1, 1}));
  EXPECT_EQ(totals(ahead).deadline_misses, 0u);
  EXPECT_EQ(policy_name(parse_policy("deadline-greedy")), "deadline-greedy");
  EXPECT_EQ(parse_policy("deadline-greedy").lookahead, 1);
}

TEST(Governor, DeadlineLookAheadNeverMissesMoreThanAnyFixedWidth) {
  // Random bursty traces: the look-ahead plan (window covering every request a choice can
  // delay) misses no more deadlines than any fixed width, and never more than greedy.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> gap(0, 3e-3), deadline(1e-3, 12e-3);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<Request> trace;
    double t = 0;
    for (int i = 0; i < 25; ++i) {
      t += gap(rng) < 1.5e-3 ? 0 : gap(rng);  // half the requests arrive together with the previous
      trace.push_back(Request{t, deadline(rng), kInf, 0, kNaN});
    }
    Policy ahead = parse_policy("deadline");
    ahead.lookahead = 100;
    const WidthTable tb = table(0.1e-3, 0.2e-3);
    const std::size_t m = totals(replay(tb, trace, ahead, 4)).deadline_misses;
    for (int k = 1; k <= 4; ++k)
      EXPECT_LE(m, totals(replay(tb, trace, parse_policy("fixed:" + std::to_string(k)), 4)).deadline_misses)
          << "trial " << trial << " fixed:" << k;
    EXPECT_LE(m, totals(replay(tb, trace, parse_policy("deadline-greedy"), 4)).deadline_misses) << "trial " << trial;
  }
}

TEST(Governor, EnergyPolicyWithoutBudgetIsAnError) {
  const auto trace = spaced({{0, kInf, kInf, 0, 5e-3}, {0, kInf, kInf, 0, kNaN}});
  try {
    replay(table(), trace, parse_policy("energy"), 1);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("request 1 has no energy_budget_j"), std::string::npos) << e.what();
  }
  Policy p = parse_policy("energy");
  p.total_energy_budget_j = 1;
  EXPECT_NO_THROW(replay(table(), trace, p, 1));
}

TEST(Governor, MeasuredAccuracyCountsCorrectRequests) {
  auto d = replay(table(), spaced(std::vector<Request>(4, Request{})), parse_policy("fixed:2"), 2);
  EXPECT_TRUE(std::isnan(totals(d).measured_accuracy));
  EXPECT_EQ(decisions_csv(spaced(std::vector<Request>(4, Request{})), d).find("correct"), std::string::npos);
  d[0].correct = 1, d[1].correct = 0, d[2].correct = 1, d[3].correct = 1;
  EXPECT_DOUBLE_EQ(totals(d).measured_accuracy, 0.75);
  EXPECT_EQ(totals(d).measured, 4u);
  EXPECT_NEAR(totals(d).mean_accuracy, 0.95, 1e-12);  // the table's, unchanged
  EXPECT_NE(decisions_csv(spaced(std::vector<Request>(4, Request{})), d).find(",correct\n"), std::string::npos);
}

TEST(Governor, AccuracyPolicyPicksNarrowestMeetingTarget) {
  const auto trace = spaced({{0, kInf, kInf, 0.96, kNaN}, {0, kInf, kInf, 0.90, kNaN},
                             {0, kInf, kInf, 0.99, kNaN}, {0, kInf, kInf, 0.95, kNaN}});
  const auto d = replay(table(), trace, parse_policy("accuracy"), 1);
  EXPECT_EQ(widths(d), (std::vector<int>{3, 1, 4, 2}));
  EXPECT_FALSE(d[2].accuracy_ok);  // no width reaches 0.99: the widest, counted as a miss
  EXPECT_EQ(totals(d).accuracy_misses, 1u);
  EXPECT_NEAR(totals(d).mean_accuracy, (0.97 + 0.90 + 0.98 + 0.95) / 4, 1e-12);
}

TEST(Governor, EnergyPolicyHonoursPerRequestAllowance) {
  const auto trace = spaced({{0, kInf, kInf, 0, 5e-3}, {0, kInf, kInf, 0, 1.5e-3}, {0, kInf, kInf, 0, 0.5e-3}});
  const auto d = replay(table(), trace, parse_policy("energy"), 1);
  EXPECT_EQ(widths(d), (std::vector<int>{3, 1, 1}));
}

TEST(Governor, EnergyPolicySpreadsTotalBudgetOverRemainingRequests) {
  // 10 mJ over 4 requests: 2.5 → w2 (2 mJ); 8/3 → w2; 6/2 = 3 → w2; 4/1 → w3 (4 mJ).
  const auto trace = spaced(std::vector<Request>(4, Request{}));
  Policy p = parse_policy("energy");
  p.total_energy_budget_j = 10e-3;
  const auto d = replay(table(), trace, p, 1);
  EXPECT_EQ(widths(d), (std::vector<int>{2, 2, 2, 3}));
  EXPECT_NEAR(totals(d).energy_j, 10e-3, 1e-15);
}

TEST(Governor, TableAndTraceCsvRoundTripAndErrors) {
  char dir_tmpl[] = "/tmp/rcsim_gov_XXXXXX";
  const std::string dir = ::mkdtemp(dir_tmpl);
  const WidthTable t = table(0.5e-3, 0.25e-3);
  {
    std::ofstream(dir + "/w.csv") << width_table_csv(t);
  }
  const WidthTable u = load_width_table(dir + "/w.csv");
  ASSERT_EQ(u.max_width(), 4);
  EXPECT_DOUBLE_EQ(u.at(3).energy_j, 4e-3);
  EXPECT_NEAR(u.reconfig_j[0][3], 1.5e-3, 1e-15);
  EXPECT_NEAR(u.reconfig_s[1][3], 0.5e-3, 1e-15);
  EXPECT_EQ(u.reconfig_j[3][0], 0);
  {
    std::ofstream(dir + "/t.csv") << "time_s,deadline_s,power_budget_w,min_accuracy\n0,0.01,,0.9\n1,,,\n";
  }
  const auto trace = load_trace(dir + "/t.csv");
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_TRUE(std::isinf(trace[1].deadline_s));
  EXPECT_TRUE(std::isnan(trace[0].energy_budget_j));
  {
    std::ofstream(dir + "/bad.csv") << "time_s,deadline_s,power_budget_w,min_accuracy\n1,0.01,,\n0,0.01,,\n";
  }
  EXPECT_THROW(load_trace(dir + "/bad.csv"), InputError);
  {
    std::ofstream(dir + "/bad2.csv") << "time_s,deadline_s,min_accuracy\n0,1,0\n";
  }
  try {
    load_trace(dir + "/bad2.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("missing column 'power_budget_w'"), std::string::npos);
  }
  // Counts out of an integer's range or not whole (fuzz_governor_csv: 1.7e62 cycles was cast to int64).
  const std::string header = "width,cycles,latency_s,energy_j,avg_power_w,accuracy\n";
  const std::vector<std::string> bad_rows = {"72,1" + std::string(62, '6') + ",1e-6,1e-6,1,0.9\n", "1,2.5,1e-6,1e-6,1,0.9\n",
                                             "1,-1,1e-6,1e-6,1,0.9\n", "1e300,20,1e-6,1e-6,1,0.9\n",
                                             "1,inf,1e-6,1e-6,1,0.9\n"};
  for (const std::string& row : bad_rows) {
    std::ofstream(dir + "/huge.csv") << header << row;
    try {
      load_width_table(dir + "/huge.csv");
      FAIL() << row;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("expected a whole number"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(parse_policy("fixed:0"), InputError);
  EXPECT_THROW(parse_policy("greedy"), InputError);
  EXPECT_THROW(replay(t, trace, parse_policy("fixed:5"), 1), InputError);
}

// ---- adaptive (margin-escalation) policy ----
#include "sweep/adaptive.h"

TEST(Adaptive, SoftmaxMarginOfKnownLogits) {
  // Logits 0 and ln 3 (at scale 2^-0 they must be integers: use shift to scale) → p = 1/4, 3/4.
  // With shift 10, q = round(ln3·1024) = 1125 gives ln 3 within 1e-3.
  const double m = softmax_margin({0, 1125}, 10);
  EXPECT_NEAR(m, 0.5, 1e-3);
  EXPECT_DOUBLE_EQ(softmax_margin({7, 7, 7}, 0), 0);
  EXPECT_DOUBLE_EQ(softmax_margin({5}, 0), 0);
}

TEST(Adaptive, CascadeEscalatesOnlyUnsureImagesAndCountsEnergy) {
  const WidthTable t = table(0.5e-3, 0);  // widening costs 0.5 mJ per group, narrowing nothing
  // Image A: confident at width 1 (right). Image B: unsure until width 3 (wrong at 1, right at 3).
  std::vector<ImageOutcome> ims(2);
  ims[0] = {1, {1, 1, 1, 1}, {0.9, 0.9, 0.9, 0.9}};
  ims[1] = {2, {0, 0, 2, 2}, {0.1, 0.2, 0.6, 0.9}};
  const CascadeResult none = evaluate_cascade(ims, t, 0.0, Escalation::Next);  // never escalates
  EXPECT_DOUBLE_EQ(none.accuracy, 0.5);
  EXPECT_DOUBLE_EQ(none.energy_j, 1e-3);
  const CascadeResult mid = evaluate_cascade(ims, t, 0.5, Escalation::Next);
  EXPECT_DOUBLE_EQ(mid.accuracy, 1.0);
  EXPECT_DOUBLE_EQ(mid.escalated, 0.5);
  // B: 1 + (0.5 + 2) + (0.5 + 4) mJ; A: 1 mJ.
  EXPECT_NEAR(mid.energy_j, (1e-3 + 8e-3) / 2, 1e-15);
  EXPECT_EQ(mid.final_width_share, (std::vector<double>{0.5, 0, 0.5, 0}));
  const CascadeResult full = evaluate_cascade(ims, t, 0.5, Escalation::Full);  // B: 1 → 4
  EXPECT_NEAR(full.energy_j, (1e-3 + 1e-3 + 1.5e-3 + 8e-3) / 2, 1e-15);
  EXPECT_DOUBLE_EQ(full.accuracy, 1.0);
  const CascadeResult fixed2 = evaluate_fixed(ims, t, 2);
  EXPECT_DOUBLE_EQ(fixed2.accuracy, 0.5);
  EXPECT_DOUBLE_EQ(fixed2.energy_j, 2e-3);
}

// ---- Idle periods: gate or merely clock-gate between requests (break-even timeout rule) ----

#include "area/area_table.h"
#include "area/power_gating.h"
#include "energy/energy_table.h"
#include "core/arch_params.h"
#include "sweep/idle_power.h"

namespace {

// A LeNet-like table in microseconds (widths 1..4: 4..16 us) so the example trace's 1 ms spacing
// leaves the accelerator idle between requests.
WidthTable micro_table() {
  WidthTable t;
  for (int w = 1; w <= 4; ++w)
    t.widths.push_back({w, std::int64_t(4000 * w), 4e-6 * w, 1.5e-6 * w * w, 1.5e-6 * w * w / (4e-6 * w), 0.98});
  t.reconfig_j.assign(4, std::vector<double>(4, 0));
  t.reconfig_s.assign(4, std::vector<double>(4, 0));
  return t;
}

IdlePower idle_for(const std::vector<std::string>& sets, bool overhead) {
  const ArchParams a = load_arch("default", sets);
  return idle_power_of(area::gating_model(a, area::load_area_table("45nm"), energy::load_energy_table("45nm"), overhead), 4);
}

std::vector<Request> example_trace() {
  return load_trace(std::string(RCSIM_SOURCE_DIR) + "/workloads/sweeps/governor_trace_example.csv");
}

}  // namespace

TEST(GovernorIdle, NotModelledKeepsTheReplayAsBefore) {
  const auto trace = example_trace();
  const auto a = replay(micro_table(), trace, parse_policy("deadline"), 4);
  const auto b = replay(micro_table(), trace, parse_policy("deadline"), 4, IdlePower{});
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].finish_s, b[i].finish_s);
    EXPECT_EQ(b[i].idle_j, 0);
  }
  EXPECT_EQ(totals(b).idle_j, 0);
  EXPECT_EQ(totals(b).gated_periods, 0u);
}

TEST(GovernorIdle, IdleEnergyFollowsTheTimeoutRule) {
  IdlePower p;
  p.modelled = true;
  p.always_on_w = 1e-3;
  p.units = {{"u", 2, 0, 4e-3, 1e-3, 6e-9, 1e-7}};  // break-even 6 nJ / 3 mW = 2 us
  EXPECT_DOUBLE_EQ(p.units[0].break_even_s(), 2e-6);
  Decision d;
  EXPECT_DOUBLE_EQ(idle_energy(p, 1e-6, 1, &d), 1e-3 * 1e-6 + 2 * 4e-3 * 1e-6);  // shorter: clock-gated only
  EXPECT_EQ(d.units_gated, 0);
  Decision g;
  EXPECT_DOUBLE_EQ(idle_energy(p, 5e-6, 1, &g), 1e-3 * 5e-6 + 2 * (4e-3 * 2e-6 + 1e-3 * 3e-6 + 6e-9));
  EXPECT_EQ(g.units_gated, 2);
  EXPECT_DOUBLE_EQ(g.wake_s, 1e-7);
  // A bank of a group above the width is gated already: no decision, no wake.
  p.units[0].width_group = 3;
  Decision n;
  EXPECT_DOUBLE_EQ(idle_energy(p, 5e-6, 2, &n), 1e-3 * 5e-6 + 2 * 1e-3 * 5e-6);
  EXPECT_EQ(n.units_gated, 0);
}

// The shipped example trace on the default arch at 45 nm, with the gating overhead priced and
// priced free. Retention banks (break-even ~50 ns) and PE columns (~240 ns) gate in every idle
// period either way; the overhead costs exactly 2 x the wake energy per gated unit and period
// (clock-gated until t_be costs (P_on - P_g) t_be = E_wake, then the wake itself).
TEST(GovernorIdle, ExampleTraceWithAndWithoutOverheadRetentionBanks) {
  const auto trace = example_trace();
  const IdlePower priced = idle_for({}, true), free = idle_for({}, false);
  const auto dp = replay(micro_table(), trace, parse_policy("fixed:4"), 4, priced);
  const auto df = replay(micro_table(), trace, parse_policy("fixed:4"), 4, free);
  const GovernorTotals tp = totals(dp), tf = totals(df);
  // Requests 0-2 arrive 1 us apart and queue; the other 9 find the accelerator idle for ~1 ms.
  EXPECT_EQ(tp.idle_periods, 9u);
  EXPECT_EQ(tp.gated_periods, 9u);
  EXPECT_EQ(tf.gated_periods, 9u);
  double wake_per_period = 0;
  for (const auto& u : priced.units) {
    EXPECT_LT(u.break_even_s(), 1e-6) << u.name;
    wake_per_period += u.count * u.wake_j;
  }
  // The wake latency (20 ns, a PE column) shortens the next idle period by as much: hence NEAR.
  EXPECT_NEAR(tp.idle_j - tf.idle_j, 9 * 2 * wake_per_period, 1e-4 * tp.idle_j);
  EXPECT_GT(dp[3].finish_s, df[3].finish_s);  // woken units delay the start
}

// With power-gated (off) banks a wake reloads a whole 128 KB bank from DRAM: break-even ~1.7 ms,
// longer than the trace's 1 ms idle periods. Priced, the governor only clock-gates the banks
// (and still switches the PE columns off); priced free it gates everything.
TEST(GovernorIdle, ExampleTraceWithAndWithoutOverheadOffBanks) {
  const auto trace = example_trace();
  const IdlePower priced = idle_for({"weight_sram.gating=off"}, true), free = idle_for({"weight_sram.gating=off"}, false);
  double bank_tbe = 0;
  for (const auto& u : priced.units)
    if (u.name == "weight_sram_bank") bank_tbe = u.break_even_s();
  EXPECT_GT(bank_tbe, 1.1e-3);
  const auto dp = replay(micro_table(), trace, parse_policy("fixed:4"), 4, priced);
  const auto df = replay(micro_table(), trace, parse_policy("fixed:4"), 4, free);
  for (std::size_t i = 3; i < dp.size(); ++i) {
    EXPECT_EQ(dp[i].units_gated, 16) << i;      // the 16 PE columns only
    EXPECT_EQ(df[i].units_gated, 16 + 8) << i;  // and the 8 banks
  }
  // Clock-gating the banks for ~1 ms leaks more than the free model's gated banks.
  EXPECT_GT(totals(dp).idle_j, totals(df).idle_j);
}

#include "sweep/governor_columns.h"

// The governor's CSV headers are the declared columns (docs/outputs.md is generated from them).
TEST(GovernorColumns, HeadersAreTheDeclaredColumns) {
  auto header = [](const std::string& csv) { return csv.substr(0, csv.find('\n')); };
  auto declared = [](const char* file) {
    std::string s;
    for (const char* c : governor_column_names(file)) s += (s.empty() ? "" : ",") + std::string(c);
    return s;
  };
  EXPECT_EQ(header(width_table_csv(table())), declared("table"));
  const auto trace = spaced({{0, kInf, kInf, 0, kNaN}});
  EXPECT_EQ(header(decisions_csv(trace, replay(table(), trace, parse_policy("fixed:1"), 1))), declared("decisions"));
}
