// `rcsim plot results.csv --kind pareto|breakdown|scaling --out PREFIX [--where col=value]…`:
// PNG and SVG plots of sweep results via gnuplot (PREFIX.gp and PREFIX.dat are kept).
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "sweep/csv_table.h"
#include "sweep/plot.h"

namespace rcsim::cli {

namespace {

struct PlotCliOptions {
  std::string csv;
  std::string kind = "pareto";
  sweep::PlotOptions plot;
};

void run_plot(PlotCliOptions& o) {
  o.plot.kind = sweep::parse_plot_kind(o.kind);
  const sweep::CsvTable t = sweep::read_csv(o.csv);
  for (const auto& f : sweep::plot(t, o.plot)) std::cout << "wrote " << f << "\n";
}

}  // namespace

void add_plot_command(CLI::App& app) {
  auto o = std::make_shared<PlotCliOptions>();
  CLI::App* cmd = app.add_subcommand("plot", "Plot sweep results (PNG and SVG via gnuplot)");
  cmd->add_option("csv", o->csv, "Sweep result CSV")->required()->check(CLI::ExistingFile);
  cmd->add_option("--kind", o->kind, "pareto (energy vs accuracy), breakdown (energy per component per width), "
                                     "scaling (energy and latency vs array size), adaptive (rcsim governor --adaptive output)")
      ->check(CLI::IsMember({"pareto", "breakdown", "scaling", "adaptive"}))->capture_default_str();
  cmd->add_option("--out", o->plot.out_prefix, "Output prefix: PREFIX.png, PREFIX.svg (+ .gp, .dat)")->required();
  cmd->add_option("--where", o->plot.where, "Keep only rows with COLUMN=VALUE (repeatable)");
  cmd->add_option("--title", o->plot.title, "Plot title");
  cmd->callback([o] { run_plot(*o); });
}

}  // namespace rcsim::cli
