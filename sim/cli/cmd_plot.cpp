// `rcsim plot results.csv --kind pareto|breakdown|scaling --out PREFIX [--where col=value]…`:
// PNG and SVG plots of sweep results via gnuplot (PREFIX.gp and PREFIX.dat are kept).
#include <iostream>
#include <memory>

#include "cli/command_line.h"
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

void add_plot_command(CommandLine& cl) {
  auto o = std::make_shared<PlotCliOptions>();
  Command cmd = cl.add("plot", "Plot sweep results (PNG and SVG via gnuplot)");
  cmd.option("csv", o->csv, "Sweep result CSV").required().existing_file();
  cmd.option("--kind", o->kind, "pareto (energy vs accuracy), breakdown (energy per component per width), "
                                     "scaling (energy and latency vs array size), adaptive (rcsim governor --adaptive output)")
      .one_of({"pareto", "breakdown", "scaling", "adaptive"}).show_default();
  cmd.option("--out", o->plot.out_prefix, "Output prefix: PREFIX.png, PREFIX.svg (+ .gp, .dat)").required();
  cmd.option("--where", o->plot.where, "Keep only rows with COLUMN=VALUE (repeatable)");
  cmd.option("--title", o->plot.title, "Plot title");
  cmd.action([o] { run_plot(*o); });
}

}  // namespace rcsim::cli
