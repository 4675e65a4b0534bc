// `rcsim plot results.csv [--x COL --y COL --color COL --label auto|COL] [--kind pareto|breakdown|
// scaling|adaptive] --out PREFIX [--where 'COL<VALUE']…`: PNG and SVG plots of sweep results via
// gnuplot (PREFIX.gp and PREFIX.dat are kept).
#include <iostream>
#include <memory>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "sweep/csv_table.h"
#include "sweep/plot.h"

namespace rcsim::cli {

namespace {

struct PlotCliOptions {
  std::string csv;
  std::string kind = "pareto";
  std::string front = "axes";
  sweep::PlotOptions plot;
};

void run_plot(PlotCliOptions& o) {
  o.plot.kind = sweep::parse_plot_kind(o.kind);
  if (o.plot.kind != sweep::PlotKind::Pareto && (!o.plot.x.empty() || !o.plot.y.empty() || !o.plot.color.empty()))
    throw InputError("--x, --y and --color choose the axes of --kind pareto (the default); --kind " + o.kind +
                     " has fixed axes");
  o.plot.front = o.front == "csv"    ? sweep::FrontSource::Csv
                 : o.front == "none" ? sweep::FrontSource::None
                                     : sweep::FrontSource::Axes;
  const sweep::CsvTable t = sweep::read_csv(o.csv);
  for (const auto& f : sweep::plot(t, o.plot)) std::cout << "wrote " << f << "\n";
}

}  // namespace

void add_plot_command(CommandLine& cl) {
  auto o = std::make_shared<PlotCliOptions>();
  Command cmd = cl.add("plot", "Plot sweep results (PNG and SVG via gnuplot)");
  cmd.option("csv", o->csv, "Sweep result CSV").required().existing_file();
  cmd.option("--kind", o->kind,
             "pareto (--x vs --y, default energy_j vs accuracy, or vs latency_s without accuracy), breakdown (energy "
             "per component per width), "
             "scaling (energy and latency vs array size), adaptive (rcsim governor --adaptive output)")
      .one_of({"pareto", "breakdown", "scaling", "adaptive"})
      .show_default();
  cmd.option("--out", o->plot.out_prefix, "Output prefix: PREFIX.png, PREFIX.svg (+ .gp, .dat)").required();
  cmd.option("--where", o->plot.where,
             "Keep only rows meeting COLUMN OP VALUE, OP one of < <= > >= = == != (repeatable; comma-separated)");
  cmd.option("--x", o->plot.x, "x column, COLUMN[:min|max] (direction of the front; default min, max for accuracy)");
  cmd.option("--y", o->plot.y, "y column, COLUMN[:min|max]");
  cmd.option("--color", o->plot.color,
             "Column colouring the points (integers and names: one key each); array (the shape RxC); none");
  cmd.option("--label", o->plot.label, "Labels of front points: auto (the design axes that vary), none, or a column")
      .show_default();
  cmd.option("--limit", o->plot.limits,
             "Draw a bound on the x or y column as a dashed line, e.g. 'latency_s<30e-6' (repeatable)");
  cmd.flag("--label-all", o->plot.label_all, "Label every point, not only the Pareto front");
  cmd.option("--front", o->front,
             "Highlighted front: axes (2-D front over x and y), csv (the CSV's pareto column), none")
      .one_of({"axes", "csv", "none"})
      .show_default();
  cmd.option("--title", o->plot.title, "Plot title");
  cmd.action([o] { run_plot(*o); });
}

}  // namespace rcsim::cli
