// `rcsim merge --out merged.csv shard0.csv shard1.csv …`: joins sweep result CSVs (shards, or
// runs on different machines): one row per point id, sorted by point index, pareto recomputed.
#include <iostream>
#include <memory>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "sweep/csv_table.h"
#include "sweep/sweep_driver.h"

namespace rcsim::cli {

namespace {

struct MergeOptions {
  std::vector<std::string> inputs;
  std::string out;
  std::vector<std::string> pareto = {"energy_j:min", "accuracy:max"};
};

void run_merge(const MergeOptions& o) {
  std::vector<sweep::CsvTable> tables;
  std::size_t in_rows = 0;
  for (const auto& f : o.inputs) {
    tables.push_back(sweep::read_csv(f));
    if (tables.back().column("point_id") < 0) throw InputError(f + ": not a sweep result CSV (no point_id column)");
    in_rows += tables.back().rows.size();
  }
  std::vector<sweep::Objective> obj;
  for (const auto& p : o.pareto) obj.push_back(sweep::parse_objective(p));
  const sweep::CsvTable merged = sweep::merge_tables(tables, obj);
  sweep::write_file_atomic(o.out, sweep::to_csv(merged));
  std::cout << "merged " << o.inputs.size() << " files, " << in_rows << " rows → " << merged.rows.size()
            << " points; wrote " << o.out << "\n";
}

}  // namespace

void add_merge_command(CommandLine& cl) {
  auto o = std::make_shared<MergeOptions>();
  Command cmd = cl.add("merge", "Join sweep result CSVs (e.g. shards) into one");
  cmd.option("inputs", o->inputs, "Result CSVs").required().existing_file();
  cmd.option("--out", o->out, "Merged CSV").required();
  cmd.option("--pareto", o->pareto, "Pareto objectives COLUMN:min|max").show_default();
  cmd.action([o] { run_merge(*o); });
}

}  // namespace rcsim::cli
