// `rcsim governor --trace T.csv --policy P (--table widths.csv | --net N [--arch A] …)`: replays a
// request trace, choosing a width per request; prints per-request decisions and totals.
#include <CLI/CLI.hpp>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "core/errors.h"
#include "sweep/csv_table.h"
#include "sweep/governor.h"
#include "sweep/width_table_builder.h"

namespace rcsim::cli {

namespace {

struct GovernorOptions {
  std::string trace;
  std::string policy = "deadline";
  std::string table;
  sweep::WidthTableSource source;
  std::string write_table;
  int initial_width = 0;  // 0 = widest
  double energy_budget_j = std::numeric_limits<double>::infinity();
  std::string out;
};

void run_governor(const GovernorOptions& o) {
  sweep::Policy policy = sweep::parse_policy(o.policy);
  policy.total_energy_budget_j = o.energy_budget_j;
  if (!(o.energy_budget_j > 0)) throw InputError("--energy-budget must be positive");
  sweep::WidthTable table;
  if (!o.table.empty()) {
    table = sweep::load_width_table(o.table);
  } else {
    table = sweep::build_width_table(o.source);
  }
  if (!o.write_table.empty()) sweep::write_file_atomic(o.write_table, sweep::width_table_csv(table));
  const auto trace = sweep::load_trace(o.trace);
  const int initial = o.initial_width == 0 ? table.max_width() : o.initial_width;
  const auto d = sweep::replay(table, trace, policy, initial);
  if (!o.out.empty()) {
    sweep::write_file_atomic(o.out, sweep::decisions_csv(trace, d));
  } else {
    std::cout << std::setw(7) << "request" << std::setw(12) << "time_s" << std::setw(6) << "width" << std::setw(13)
              << "response_s" << std::setw(13) << "energy_j" << std::setw(9) << "deadline" << std::setw(9)
              << "accuracy" << "\n";
    for (std::size_t i = 0; i < d.size(); ++i)
      std::cout << std::setw(7) << i << std::setw(12) << trace[i].time_s << std::setw(6) << d[i].width
                << std::setw(13) << d[i].response_s << std::setw(13) << d[i].energy_j << std::setw(9)
                << (d[i].deadline_met ? "met" : "MISSED") << std::setw(9) << d[i].accuracy << "\n";
  }
  const sweep::GovernorTotals t = sweep::totals(d);
  std::cout << "policy " << o.policy << ": " << t.requests << " requests, energy " << t.energy_j << " J (of which "
            << t.reconfig_j << " J in " << t.reconfigurations << " reconfigurations), " << t.deadline_misses
            << " deadline misses, " << t.power_violations << " over power budget, mean accuracy "
            << t.mean_accuracy << " (" << t.accuracy_misses << " below target)"
            << (o.out.empty() ? "" : "; per-request decisions in " + o.out) << "\n";
}

}  // namespace

void add_governor_command(CLI::App& app) {
  auto o = std::make_shared<GovernorOptions>();
  CLI::App* cmd = app.add_subcommand("governor", "Replay a request trace, choosing a width per request");
  cmd->add_option("--trace", o->trace, "Request CSV: time_s,deadline_s,power_budget_w,min_accuracy[,energy_budget_j]")
      ->required()->check(CLI::ExistingFile);
  cmd->add_option("--policy", o->policy, "fixed:K | deadline | accuracy | energy")->capture_default_str();
  cmd->add_option("--table", o->table, "Per-width CSV (width,cycles,latency_s,energy_j,avg_power_w,accuracy[,widen_j,widen_cycles]); "
                                      "default: measure with the accelerator and energy model")
      ->check(CLI::ExistingFile);
  cmd->add_option("--net", o->source.net, "Network (when measuring the table)")->capture_default_str();
  cmd->add_option("--arch", o->source.arch, "Architecture (when measuring)")->capture_default_str();
  cmd->add_option("--set", o->source.sets, "Architecture override path=value (when measuring)");
  cmd->add_option("--weights", o->source.weights, "Weights (when measuring; default: trained default)");
  cmd->add_option("--dataset", o->source.dataset, "Test set for the accuracy column (when measuring)");
  cmd->add_option("--images", o->source.images, "Test images for accuracy (0 = all)")->capture_default_str();
  cmd->add_option("--write-table", o->write_table, "Save the per-width table used as CSV");
  cmd->add_option("--initial-width", o->initial_width, "Width configured before the first request (0 = widest)")
      ->capture_default_str();
  cmd->add_option("--energy-budget", o->energy_budget_j, "energy policy: total J over the trace (requests without energy_budget_j)");
  cmd->add_option("--out", o->out, "Per-request decisions CSV (default: a table on stdout)");
  cmd->callback([o] { run_governor(*o); });
}

}  // namespace rcsim::cli
