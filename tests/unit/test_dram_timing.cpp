// The DRAM timing model against closed forms: a pure streaming read reaches the peak bandwidth
// less the refresh overhead; a row-miss-heavy pattern pays tRC per access; refresh steals tRFC
// every tREFI; tFAW limits activates; FR-FCFS serves a younger row hit before an older miss;
// power-down is entered after the idle threshold and costs tXP on the next access; event
// skipping does not change the result.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/errors.h"
#include "dram/address_mapping.h"
#include "dram/dram_controller.h"
#include "dram/dram_patterns.h"

using namespace rcsim;
using namespace rcsim::dram;

namespace {

DramConfig ddr4() { return load_dram_config("ddr4-3200"); }

std::uint64_t addr_of(const DramConfig& c, int bank_group, int bank, int row, int column = 0, int rank = 0,
                      int channel = 0) {
  DramAddress a;
  a.channel = channel;
  a.rank = rank;
  a.bank_group = bank_group;
  a.bank = bank;
  a.row = row;
  a.column = column;
  return AddressMapping(c.controller.address_mapping, c.org).encode(a);
}

double stream_bandwidth_fraction(const DramConfig& c, std::int64_t bytes) {
  DramController ctrl(c);
  ctrl.submit_bytes(0, bytes, false, 0);
  const Cycle done = ctrl.run_until_idle();
  EXPECT_EQ(ctrl.stats().bytes, bytes);
  const double bytes_per_s = double(bytes) / (double(done) * c.tck_s());
  return bytes_per_s / c.peak_bytes_per_s();
}

}  // namespace

// Peak x (1 - tRFC / tREFI): each refresh closes the rows and the stream resumes after tRFC plus
// a precharge, an activate and the read latency (tRP + tRCD + CL < 1 % of tREFI), and the row
// changes in between are hidden by FR-FCFS activating the next bank early.
TEST(DramTiming, StreamingReadReachesPeakLessRefresh) {
  for (const char* name : {"ddr4-3200", "lpddr4-3200"}) {
    const DramConfig c = load_dram_config(name);
    const double refresh_bound = 1.0 - double(c.timing.trfc) / double(c.timing.trefi);
    const double per_refresh_extra = double(c.timing.trp + c.timing.trcd + c.timing.cl) / double(c.timing.trefi);
    const double f = stream_bandwidth_fraction(c, 32 << 20);
    EXPECT_LE(f, refresh_bound) << name;
    EXPECT_GE(f, refresh_bound - per_refresh_extra) << name;
  }
}

// Reads of one open row follow each other every tCCD_L (same bank group); alternating bank
// groups, every tCCD_S = BL/2 (the data bus limit). Hence the preset's mapping puts the bank group
// in the lowest bits; DRAMsim3's default (column lowest) streams into one bank group.
TEST(DramTiming, ColumnSpacingIsTccdLOrS) {
  const DramConfig c = ddr4();
  const Timing& t = c.timing;
  DramController same(c), alternating(c);
  for (int i = 0; i < 64; ++i) {
    same.submit({addr_of(c, 0, 0, 3, i), false, 0});
    alternating.submit({addr_of(c, i % 2, 0, 3, i / 2), false, 0});
  }
  same.run_until_idle();
  alternating.run_until_idle();
  for (int i = 1; i < 64; ++i) EXPECT_EQ(same.completion(i) - same.completion(i - 1), t.tccd_l) << i;
  // The two rows open tRRD_S apart (FR-FCFS serves the first group's hits meanwhile); once both
  // are open, a burst every BL/2 (but for the last one, left alone in its bank group).
  std::vector<Cycle> done;
  for (int i = 0; i < 64; ++i) done.push_back(alternating.completion(i));
  std::sort(done.begin(), done.end());
  for (int i = 4; i < 63; ++i) EXPECT_EQ(done[std::size_t(i)] - done[std::size_t(i - 1)], c.org.burst_cycles()) << i;
}

// Every access to another row of the same bank: PRE, ACT, RD; ACT to ACT is tRC (= tRAS + tRP),
// so request k completes at k * tRC + tRCD + CL + BL/2 (before the first refresh).
TEST(DramTiming, RowMissesPayTrcPerAccess) {
  for (PagePolicy policy : {PagePolicy::Open, PagePolicy::Closed}) {
    DramConfig c = ddr4();
    c.controller.page_policy = policy;
    const Timing& t = c.timing;
    DramController ctrl(c);
    const int n = 100;
    ASSERT_LT(n * t.trc, t.trefi);
    for (int k = 0; k < n; ++k) ctrl.submit({addr_of(c, 0, 0, 10 + k), false, 0});
    ctrl.run_until_idle();
    for (int k = 0; k < n; ++k)
      EXPECT_EQ(ctrl.completion(k), Cycle(k) * t.trc + t.trcd + t.cl + c.org.burst_cycles()) << k;
    EXPECT_EQ(ctrl.stats().activates, n);
    EXPECT_EQ(ctrl.stats().row_hits, 0);
    if (policy == PagePolicy::Open) {
      EXPECT_EQ(ctrl.stats().row_misses, 1);
      EXPECT_EQ(ctrl.stats().row_conflicts, n - 1);
    } else {
      EXPECT_EQ(ctrl.stats().row_misses, n);
      EXPECT_EQ(ctrl.stats().row_conflicts, 0);
    }
  }
}

// Idle DRAM: one REF every tREFI, each busy for tRFC.
TEST(DramTiming, RefreshStealsTrfcEveryTrefi) {
  const DramConfig c = ddr4();
  const Timing& t = c.timing;
  DramController ctrl(c);
  const Cycle horizon = 10 * Cycle(t.trefi) + 1000;
  ctrl.advance(horizon);
  const DramStats& s = ctrl.stats();
  EXPECT_EQ(s.refreshes, 10);
  EXPECT_EQ(s.refreshing_cycles, 10 * Cycle(t.trfc));
  EXPECT_EQ(s.precharge_standby_cycles, horizon - 10 * Cycle(t.trfc));
  EXPECT_EQ(s.state_cycles(), horizon);
  EXPECT_EQ(s.elapsed, horizon);
}

// A read arriving as a refresh falls due waits the whole tRFC.
TEST(DramTiming, RequestAtRefreshWaitsTrfc) {
  const DramConfig c = ddr4();
  const Timing& t = c.timing;
  const Cycle unloaded = t.trcd + t.cl + c.org.burst_cycles();
  DramController ctrl(c);
  ctrl.submit({addr_of(c, 0, 0, 1), false, 100});
  ctrl.submit({addr_of(c, 1, 2, 7), false, t.trefi});
  ctrl.run_until_idle();
  EXPECT_EQ(ctrl.completion(0), 100 + unloaded);
  // The refresh closes the open row of request 0 first (the PRE needs tRAS after its ACT: long passed).
  EXPECT_EQ(ctrl.completion(1), t.trefi + t.trp + t.trfc + unloaded);
  EXPECT_EQ(ctrl.stats().refreshes, 1);
}

// Closed page, each request to another bank: the fifth ACT waits for the first + tFAW. The ACTs
// of a group of four are tRRD_S apart (alternating bank groups).
TEST(DramTiming, FawLimitsActivates) {
  DramConfig c = ddr4();
  c.controller.page_policy = PagePolicy::Closed;
  const Timing& t = c.timing;
  ASSERT_GT(t.tfaw, 4 * t.trrd_s);
  DramController ctrl(c);
  const int n = 64;
  for (int i = 0; i < n; ++i) ctrl.submit({addr_of(c, i % 2, (i / 2) % 4, 100 + i), false, 0});
  ctrl.run_until_idle();
  for (int i = 0; i < n; ++i) {
    const Cycle act = Cycle(i / 4) * t.tfaw + Cycle(i % 4) * t.trrd_s;
    EXPECT_EQ(ctrl.completion(i), act + t.trcd + t.cl + c.org.burst_cycles()) << i;
  }
  // Without the four-activate window the same stream is limited by tRRD and tRC only: faster.
  c.timing.tfaw = 1;
  DramController fast(c);
  for (int i = 0; i < n; ++i) fast.submit({addr_of(c, i % 2, (i / 2) % 4, 100 + i), false, 0});
  EXPECT_LT(fast.run_until_idle(), ctrl.completion(n - 1));
}

// Row 5 is open. An older request to row 7 (conflict) and a younger one to row 5 (hit) of the same
// bank arrive together: FR-FCFS reads row 5 first, FCFS serves the older request first.
TEST(DramTiming, FrFcfsServesYoungerHitFirst) {
  for (Scheduler sched : {Scheduler::FrFcfs, Scheduler::Fcfs}) {
    DramConfig c = ddr4();
    c.controller.scheduler = sched;
    const Timing& t = c.timing;
    const Cycle b = c.org.burst_cycles();
    DramController ctrl(c);
    ctrl.submit({addr_of(c, 0, 0, 5, 0), false, 0});
    ctrl.run_until_idle();
    const RequestId miss = ctrl.submit({addr_of(c, 0, 0, 7, 0), false, 1000});
    const RequestId hit = ctrl.submit({addr_of(c, 0, 0, 5, 1), false, 1000});
    ctrl.run_until_idle();
    if (sched == Scheduler::FrFcfs) {
      EXPECT_EQ(ctrl.completion(hit), 1000 + t.cl + b);
      // PRE after the hit's RD + tRTP, ACT tRP later, RD tRCD later.
      EXPECT_EQ(ctrl.completion(miss), 1000 + t.trtp + t.trp + t.trcd + t.cl + b);
      EXPECT_EQ(ctrl.stats().row_hits, 1);
    } else {
      EXPECT_EQ(ctrl.completion(miss), 1000 + t.trp + t.trcd + t.cl + b);
      EXPECT_GT(ctrl.completion(hit), ctrl.completion(miss));
      EXPECT_EQ(ctrl.stats().row_hits, 0);  // row 5 was closed for row 7 first
    }
  }
}

// Power-down after `powerdown_idle_ck` idle cycles (active power-down: the row stays open), and the
// next access pays tXP.
TEST(DramTiming, PowerDownAfterIdleThreshold) {
  DramConfig c = ddr4();
  c.controller.powerdown_idle_ck = 100;
  const Timing& t = c.timing;
  const Cycle b = c.org.burst_cycles();
  DramController ctrl(c);
  ctrl.submit({addr_of(c, 0, 0, 3), false, 0});
  ctrl.run_until_idle();
  const Cycle done0 = t.trcd + t.cl + b;
  EXPECT_EQ(ctrl.completion(0), done0);
  ctrl.advance(5000);
  EXPECT_EQ(ctrl.stats().powerdown_entries, 1);
  EXPECT_EQ(ctrl.stats().active_powerdown_cycles, 5000 - (done0 + 100));
  const RequestId hit = ctrl.submit({addr_of(c, 0, 0, 3, 1), false, 5000});
  ctrl.run_until_idle();
  EXPECT_EQ(ctrl.completion(hit), 5000 + t.txp + t.cl + b);
  EXPECT_EQ(ctrl.stats().state_cycles(), ctrl.now());
}

// Idle for several refresh intervals in precharge power-down: the rank wakes for each refresh
// (tXP), refreshes and goes back to power-down at once.
TEST(DramTiming, PowerDownWakesForRefresh) {
  DramConfig c = ddr4();
  c.controller.powerdown_idle_ck = 100;
  const Timing& t = c.timing;
  DramController ctrl(c);
  const Cycle horizon = 5 * Cycle(t.trefi) + 1000;
  ctrl.advance(horizon);
  const DramStats& s = ctrl.stats();
  EXPECT_EQ(s.refreshes, 5);
  EXPECT_EQ(s.refreshing_cycles, 5 * Cycle(t.trfc));
  EXPECT_EQ(s.powerdown_entries, 1 + 5);
  EXPECT_EQ(s.precharge_standby_cycles, 100 + 5 * Cycle(t.txp));
  EXPECT_EQ(s.precharge_powerdown_cycles, horizon - s.precharge_standby_cycles - s.refreshing_cycles);
}

// Self-refresh after a longer idle time: no REF commands while in it; the exit costs tXS.
TEST(DramTiming, SelfRefreshAfterLongIdle) {
  DramConfig c = ddr4();
  c.controller.powerdown_idle_ck = 100;
  c.controller.self_refresh_idle_ck = 1000;
  const Timing& t = c.timing;
  DramController ctrl(c);
  ctrl.advance(20 * Cycle(t.trefi));
  EXPECT_EQ(ctrl.stats().self_refresh_entries, 1);
  EXPECT_EQ(ctrl.stats().refreshes, 0);
  EXPECT_EQ(ctrl.stats().self_refresh_cycles, 20 * Cycle(t.trefi) - 1000);
  const Cycle at = 20 * Cycle(t.trefi);
  const RequestId r = ctrl.submit({addr_of(c, 1, 1, 9), false, at});
  ctrl.run_until_idle();
  EXPECT_EQ(ctrl.completion(r), at + t.txs + t.trcd + t.cl + c.org.burst_cycles());
}

// Event skipping is exact: advancing in small steps, with requests interleaved with the steps,
// gives the same completions and counters as one run.
TEST(DramTiming, SteppingDoesNotChangeResults) {
  DramConfig c = ddr4();
  c.controller.powerdown_idle_ck = 50;
  const auto reqs = make_pattern(Pattern::Random, 3000, c.org.bytes_per_burst(), c.org.capacity_bytes(), false, 37, 5);
  DramController one(c), many(c);
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    DramRequest r = reqs[i];
    r.is_write = i % 3 == 0;
    one.submit(r);
  }
  const Cycle end = one.run_until_idle();
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    DramRequest r = reqs[i];
    r.is_write = i % 3 == 0;
    many.advance(r.arrival);  // only up to the arrival: the controller must not be past it
    many.submit(r);
  }
  while (many.completed() < many.submitted()) many.advance(many.now() + 97);
  const Cycle last = std::max(end, many.now()) + 1000;
  one.advance(last);
  many.advance(last);
  for (RequestId i = 0; i < RequestId(reqs.size()); ++i) ASSERT_EQ(one.completion(i), many.completion(i)) << i;
  EXPECT_TRUE(one.stats() == many.stats()) << to_json(one.stats()).dump() << "\n" << to_json(many.stats()).dump();
}

// A DMA asking for one transfer's completion while issuing the next: wait_for() stops as soon as
// the answer is known, and requests submitted afterwards (from frontier() on) are scheduled exactly
// as if all had been submitted at once.
TEST(DramTiming, WaitForThenSubmitIsExact) {
  const DramConfig c = ddr4();
  DramController ask(c);
  std::vector<DramRequest> submitted;
  for (int batch = 0; batch < 10; ++batch) {
    // A batch of 4 (rows of one bank, other banks, a write) at the earliest allowed cycle, then
    // wait for the batch's first request only.
    const Cycle t = ask.frontier();
    const RequestId first = ask.submitted();
    for (int i = 0; i < 4; ++i) {
      const int k = batch * 4 + i;
      const DramRequest r{std::uint64_t(k % 7) * 8192 * 64 + std::uint64_t(k % 3) * 64, k % 5 == 0, t};
      ask.submit(r);
      submitted.push_back(r);
    }
    const Cycle done = ask.wait_for(first);
    EXPECT_EQ(ask.completion(first), done);
    EXPECT_LE(ask.frontier(), done);  // the batch's other requests are still in flight
  }
  ask.run_until_idle();
  DramController ref(c);
  for (const auto& r : submitted) ref.submit(r);
  ref.run_until_idle();
  for (RequestId i = 0; i < RequestId(submitted.size()); ++i) EXPECT_EQ(ask.completion(i), ref.completion(i)) << i;
  EXPECT_THROW(ask.submit({0, false, ask.frontier() - 1}), InternalError);
}

TEST(DramTiming, SameInputSameResult) {
  const DramConfig c = load_dram_config("lpddr4-3200");
  auto run = [&] {
    DramController ctrl(c);
    for (const auto& r : make_pattern(Pattern::Random, 5000, c.org.bytes_per_burst(), c.org.capacity_bytes(), true, 3))
      ctrl.submit(r);
    ctrl.run_until_idle();
    return ctrl.stats();
  };
  EXPECT_TRUE(run() == run());
}

// Two ranks share the data bus: reads alternating ranks leave tRTRS between bursts.
TEST(DramTiming, RankSwitchCostsTrtrs) {
  DramConfig c = ddr4();
  c.org.ranks = 2;
  c.controller.address_mapping = "robabgcorach";  // rank in the lowest bits
  const Timing& t = c.timing;
  DramController ctrl(c);
  const int n = 200;
  ctrl.submit_bytes(0, std::int64_t(n) * c.org.bytes_per_burst(), false, 0);
  ctrl.run_until_idle();
  // After the two first activates (one per rank) every read follows the previous one by BL/2 + tRTRS.
  for (int i = 4; i < n; ++i)
    EXPECT_EQ(ctrl.completion(i) - ctrl.completion(i - 1), c.org.burst_cycles() + t.trtrs) << i;
}

TEST(DramTiming, WritesThenReadPayTurnaround) {
  const DramConfig c = ddr4();
  const Timing& t = c.timing;
  const Cycle b = c.org.burst_cycles();
  DramController ctrl(c);
  ctrl.submit({addr_of(c, 0, 0, 1, 0), false, 0});  // opens row 1 of bank group 0
  ctrl.run_until_idle();
  const RequestId w = ctrl.submit({addr_of(c, 0, 0, 1, 1), true, 1000});
  const RequestId r = ctrl.submit({addr_of(c, 0, 0, 1, 2), false, 1000});
  ctrl.run_until_idle();
  EXPECT_EQ(ctrl.completion(w), 1000 + t.cwl + b);
  // Same bank group: RD waits for the write data plus tWTR_L.
  EXPECT_EQ(ctrl.completion(r), 1000 + t.cwl + b + t.twtr_l + t.cl + b);
}

TEST(DramTiming, MisuseIsAnInternalError) {
  DramController ctrl(ddr4());
  ctrl.submit({0, false, 100});
  EXPECT_THROW(ctrl.submit({0, false, 50}), InternalError);  // arrivals must not decrease
  ctrl.advance(1000);
  EXPECT_THROW(ctrl.submit({0, false, 200}), InternalError);  // nor lie before now()
  EXPECT_THROW(ctrl.completion(7), InternalError);
}
