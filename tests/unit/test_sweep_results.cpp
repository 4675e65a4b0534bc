// Result files: CSV round trip, the journal's torn-line recovery, Pareto flags, merge, resume.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "core/errors.h"
#include "sweep/csv_table.h"
#include "sweep/journal.h"
#include "sweep/pareto.h"
#include "sweep/sweep_driver.h"

using namespace rcsim;
using namespace rcsim::sweep;

namespace {

std::string temp_dir() {
  char tmpl[] = "/tmp/rcsim_sweep_test_XXXXXX";
  const char* d = ::mkdtemp(tmpl);
  if (!d) throw std::runtime_error("mkdtemp failed");
  return d;
}

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const char* kSpec = R"(
name: r
base: {network: mnist_lenet}
grid: {width: [1, 2, 3, 4], array: [8x8, 16x16, 32x32], dataflow: [ws, os]}
)";

// Deterministic fake evaluator: energy grows with width and array size, accuracy with width.
Params fake(const DesignPoint& p) {
  const double w = std::stod(p.get("width")), r = std::stod(p.get("rows"));
  return {{"energy_j", std::to_string(w * 10 + r / 8 + (p.get("dataflow") == "os" ? 1 : 0))},
          {"accuracy", std::to_string(0.5 + 0.1 * w)}};
}

}  // namespace

TEST(Csv, RoundTripsQuotesCommasAndNewlines) {
  CsvTable t;
  t.columns = {"a", "b,c", "d"};
  t.rows = {{"1", "x \"y\"", "line1\nline2"}, {"", "", "z"}};
  const CsvTable u = parse_csv(to_csv(t), "mem");
  EXPECT_EQ(u.columns, t.columns);
  EXPECT_EQ(u.rows, t.rows);
  EXPECT_THROW(parse_csv("a,b\n1,2,3\n", "bad.csv"), InputError);
  EXPECT_THROW(parse_csv("a,b\n\"1,2\n", "bad.csv"), InputError);
}

TEST(Journal, DropsTornLastLineAndKeepsCompleteOnes) {
  const std::string dir = temp_dir(), path = dir + "/j";
  {
    Journal j(path);
    EXPECT_TRUE(j.existing().empty());
    j.append({{"point_id", "a"}, {"x", "1"}});
    j.append({{"point_id", "b"}, {"x", "2"}});
  }
  {
    std::ofstream out(path, std::ios::app | std::ios::binary);
    out << "{\"point_id\":\"c\",\"x\":";  // a write cut short by a kill
  }
  {
    Journal j(path);
    ASSERT_EQ(j.existing().size(), 2u);
    EXPECT_EQ(j.existing()[1][0].second, "b");
    EXPECT_EQ(j.dropped_bytes(), std::string("{\"point_id\":\"c\",\"x\":").size());
    j.append({{"point_id", "c"}, {"x", "3"}});
  }
  Journal j(path);
  ASSERT_EQ(j.existing().size(), 3u);
  EXPECT_EQ(j.existing()[2][1].second, "3");
  {
    std::ofstream out(path, std::ios::app | std::ios::binary);
    out << "not json\n";
  }
  EXPECT_THROW(Journal{path}, InputError);
}

TEST(Pareto, FrontOfKnownPoints) {
  // (energy, -accuracy): b dominates c; a and b trade off; d equals b (neither dominates).
  EXPECT_EQ(pareto_front({{1, -0.5}, {2, -0.9}, {3, -0.8}, {2, -0.9}}),
            (std::vector<bool>{true, true, false, true}));
  CsvTable t;
  t.columns = {"point_id", "status", "network", "energy_j", "accuracy", "error"};
  t.rows = {{"a", "ok", "n1", "1", "0.5", ""},  {"b", "ok", "n1", "2", "0.9", ""},
            {"c", "ok", "n1", "3", "0.8", ""},  {"d", "error", "n1", "0", "", "x"},
            {"e", "ok", "n2", "9", "0.1", ""}};
  mark_pareto(t, {{"energy_j", false}, {"accuracy", true}});
  const int p = t.column("pareto");
  ASSERT_EQ(p, 5);  // before "error"
  EXPECT_EQ(t.rows[0][5], "1");
  EXPECT_EQ(t.rows[1][5], "1");
  EXPECT_EQ(t.rows[2][5], "0");
  EXPECT_EQ(t.rows[3][5], "");
  EXPECT_EQ(t.rows[4][5], "1");  // alone in its network's group

  // A network without accuracy (no trained weights): its front is over the other objectives.
  CsvTable u;
  u.columns = {"point_id", "status", "network", "energy_j", "latency_s", "accuracy"};
  u.rows = {{"a", "ok", "n1", "1", "3", "0.5"},
            {"b", "ok", "n1", "2", "1", "0.4"},
            {"c", "ok", "n2", "1", "3", ""},
            {"d", "ok", "n2", "2", "1", ""},
            {"e", "ok", "n2", "3", "3", ""}};
  mark_pareto(u, {{"energy_j", false}, {"latency_s", false}, {"accuracy", true}});
  const int q = u.column("pareto");
  std::vector<std::string> flags;
  for (const auto& r : u.rows) flags.push_back(r[std::size_t(q)]);
  EXPECT_EQ(flags, (std::vector<std::string>{"1", "1", "1", "1", "0"}));
}

TEST(SweepDriver, ResumesAfterFailuresAndEvaluatesEachPointOnce) {
  const SweepSpec spec = parse_sweep_spec(kSpec, "r");
  const std::string out = temp_dir() + "/r.csv";
  std::map<std::string, int> calls;
  std::mutex mu;
  std::atomic<int> budget{10};
  // First run: the evaluator "crashes" after 10 points (a failure is not recorded).
  auto flaky = [&](const DesignPoint& p) {
    if (budget-- <= 0) throw std::runtime_error("simulated crash");
    std::lock_guard<std::mutex> lock(mu);
    ++calls[p.id];
    return fake(p);
  };
  SweepResult r1 = run_sweep(spec, flaky, {out, {}, 3, false});
  EXPECT_EQ(r1.evaluated, 10u);
  EXPECT_EQ(r1.failures, spec.points.size() - 10);
  EXPECT_EQ(read_csv(out).rows.size(), 10u);
  budget = 1 << 30;
  SweepResult r2 = run_sweep(spec, flaky, {out, {}, 3, false});
  EXPECT_EQ(r2.already_done, 10u);
  EXPECT_EQ(r2.evaluated, spec.points.size() - 10);
  EXPECT_EQ(r2.failures, 0u);
  ASSERT_EQ(calls.size(), spec.points.size());
  for (const auto& [id, n] : calls) EXPECT_EQ(n, 1) << id;
  const CsvTable t = read_csv(out);
  ASSERT_EQ(t.rows.size(), spec.points.size());
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    EXPECT_EQ(t.rows[i][std::size_t(t.column("point_index"))], std::to_string(i));
    EXPECT_EQ(t.rows[i][std::size_t(t.column("point_id"))], spec.points[i].id);
  }
  EXPECT_NE(::access((out + ".journal").c_str(), F_OK), 0);  // journal folded into the CSV
  // A third run finds everything done.
  EXPECT_EQ(run_sweep(spec, flaky, {out, {}, 3, false}).evaluated, 0u);
}

TEST(SweepDriver, InvalidPointsAreRecordedAsErrorsNotRetried) {
  const SweepSpec spec = parse_sweep_spec(kSpec, "r");
  const std::string out = temp_dir() + "/r.csv";
  int calls = 0;
  auto eval = [&](const DesignPoint& p) -> Params {
    ++calls;
    if (p.get("rows") == "32") throw ConfigError("array.rows: too big for this test");
    return fake(p);
  };
  const SweepResult r = run_sweep(spec, eval, {out, {}, 1, false});
  EXPECT_EQ(r.errors, 8u);
  const CsvTable t = read_csv(out);
  const int status = t.column("status"), error = t.column("error");
  ASSERT_GE(error, 0);
  EXPECT_EQ(error, int(t.columns.size()) - 1);
  std::size_t n_err = 0;
  for (const auto& row : t.rows)
    if (row[std::size_t(status)] == "error") {
      ++n_err;
      EXPECT_EQ(row[std::size_t(error)], "array.rows: too big for this test");
    }
  EXPECT_EQ(n_err, 8u);
  run_sweep(spec, eval, {out, {}, 1, false});
  EXPECT_EQ(calls, int(spec.points.size()));
}

TEST(SweepDriver, MergedShardsEqualTheUnshardedSweep) {
  const SweepSpec spec = parse_sweep_spec(kSpec, "r");
  const std::string dir = temp_dir();
  run_sweep(spec, fake, {dir + "/all.csv", {}, 2, false});
  std::vector<CsvTable> shards;
  for (int i = 0; i < 5; ++i) {
    run_sweep(spec, fake, {dir + "/s" + std::to_string(i) + ".csv", {i, 5}, 2, false});
    shards.push_back(read_csv(dir + "/s" + std::to_string(i) + ".csv"));
  }
  shards.push_back(shards[1]);  // a shard given twice is deduplicated
  const CsvTable merged = merge_tables(shards, spec.objectives);
  EXPECT_EQ(to_csv(merged), slurp(dir + "/all.csv"));
  // The front is non-trivial: some rows on it, some not.
  const int p = merged.column("pareto");
  std::size_t on = 0;
  for (const auto& row : merged.rows) on += row[std::size_t(p)] == "1";
  EXPECT_GT(on, 0u);
  EXPECT_LT(on, merged.rows.size());
}

#include "sweep/slurm_script.h"

TEST(Slurm, JobArrayRunsOneShardPerTask) {
  SlurmOptions o;
  o.rcsim = "/opt/rcsim";
  o.spec = "/specs/s.yaml";
  o.out = "/scratch/r.csv";
  o.tasks = 16;
  o.cpus_per_task = 4;
  const std::string s = slurm_script(o);
  EXPECT_EQ(s.rfind("#!/bin/bash\n", 0), 0u);
  EXPECT_NE(s.find("#SBATCH --array=0-15\n"), std::string::npos);
  EXPECT_NE(s.find("#SBATCH --cpus-per-task=4\n"), std::string::npos);
  EXPECT_NE(s.find("--shard \"$i/16\""), std::string::npos);
  EXPECT_NE(s.find("--out '/scratch/r'.shard\"$i\".csv"), std::string::npos);
  // Every #SBATCH line precedes the first command (sbatch stops reading at the first one).
  EXPECT_LT(s.rfind("#SBATCH"), s.find("set -euo pipefail"));
  EXPECT_EQ(shard_output("/scratch/r.csv", 3), "/scratch/r.shard3.csv");
  // Options of the sweep command travel with every task, quoted.
  o.extra_args = {"--no-accuracy", "--pareto=energy_j:min"};
  EXPECT_NE(slurm_script(o).find(" '--no-accuracy' '--pareto=energy_j:min' --out "), std::string::npos);
  EXPECT_EQ(shard_output("dir.v2/results", 0), "dir.v2/results.shard0.csv");
}

TEST(Journal, SecondWriterOfTheSameResultFileIsRejected) {
  const std::string path = temp_dir() + "/j";
  Journal first(path);
  try {
    Journal second(path);
    FAIL() << "two journals on one file";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("another rcsim sweep is writing this result file"), std::string::npos);
  }
  first.append({{"point_id", "a"}});
  ASSERT_EQ(first.read_all().size(), 1u);
}

// Found by fuzz_sweep_results (tests/fuzz/corpus/sweep_results/crash_point_index_text.csv): a
// point_index that is not a number threw std::invalid_argument out of merge's sort (exit 3).
TEST(SweepDriver, MergeRefusesAPointIndexThatIsNotAnIndex) {
  for (const char* bad : {"p", "-1", "1.5", "99999999999999999999"}) {
    const CsvTable t = parse_csv(std::string("point_id,point_index,status,energy_j\na,") + bad + ",ok,1e-6\nb,1,ok,2e-6\n",
                                 "in.csv");
    try {
      merge_tables({t}, {{"energy_j", false}});
      FAIL() << bad;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("input 1: row 1: point_index '" + std::string(bad) + "' is not a point index"),
                std::string::npos)
          << e.what();
    }
  }
  const CsvTable ok = parse_csv("point_id,point_index,status,energy_j\na,2,ok,1e-6\nb,,ok,2e-6\n", "in.csv");
  EXPECT_EQ(merge_tables({ok}, {{"energy_j", false}}).rows.size(), 2u);
}
