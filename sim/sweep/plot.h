#pragma once
// Plots of sweep results through gnuplot (PNG via pngcairo and SVG): the data file and the
// gnuplot script are written next to the images (PREFIX.dat, PREFIX.gp) so anyone can tweak
// and rerun them.
#include <string>
#include <vector>

#include "sweep/csv_table.h"
#include "sweep/row_filter.h"

namespace rcsim::sweep {

enum class PlotKind {
  Pareto,     ///< any two numeric columns (default energy_j vs accuracy, or vs latency_s without
              ///< accuracy), every point, the Pareto front over the two axes highlighted and labelled
  Breakdown,  ///< stacked energy per component, one bar per width
  Scaling,    ///< energy and latency vs PE-array size, every shape, one line per width
  Adaptive,   ///< `rcsim governor --adaptive` output: threshold curve vs fixed widths
};

PlotKind parse_plot_kind(const std::string& s);

/// Where the highlighted front of a pareto plot comes from.
enum class FrontSource {
  Axes,  ///< the 2-D Pareto front over the plotted x and y (directions of --x/--y)
  Csv,   ///< the CSV's pareto column (e.g. a 3-objective front of `rcsim sweep --pareto`)
  None,
};

struct PlotOptions {
  PlotKind kind = PlotKind::Pareto;
  std::string out_prefix;               ///< writes PREFIX.png, PREFIX.svg, PREFIX.dat, PREFIX.gp
  std::vector<std::string> where;       ///< row constraints (row_filter.h: `width=2`, `latency_s<30e-6`)
  std::string title;                    ///< default: derived from the kind and the filters
  std::string gnuplot = "gnuplot";      ///< executable (searched in PATH)
  // Pareto kind:
  std::string x, y;                 ///< COLUMN[:min|max]; direction default: max for accuracy, else min
  std::string color;                ///< column colouring the points ("" = width when it varies, "none")
  std::string label = "auto";       ///< front labels: auto (the axes that vary), none, or a column
  bool label_all = false;           ///< label every point, not only the front
  std::vector<std::string> limits;  ///< constraints on x or y drawn as dashed lines (`latency_s<30e-6`)
  FrontSource front = FrontSource::Axes;
};
/// Writes the data file and gnuplot script for `t` and returns the script path; InputError when
/// the table lacks the columns the kind needs (naming them).
std::string write_plot_files(const CsvTable& t, const PlotOptions& o);

/// Runs `gnuplot` (a name searched in PATH, or a path) on `script` without a shell, after the
/// gnuplot `commands` (each passed as `-e`, e.g. variable definitions).
/// EnvironmentError when it is not installed or fails (with its last line of stderr).
void run_gnuplot(const std::string& script, const std::string& gnuplot = "gnuplot",
                 const std::vector<std::string>& commands = {});

/// The gnuplot lines that set `png_out` and `svg_out` to PREFIX.png / PREFIX.svg unless already
/// set: scripts name their images through these variables (`set output png_out`) so a user
/// rerunning the script writes the images while render_images() points them at temporary files.
std::string image_output_variables(const std::string& prefix);

/// Runs `script` (which writes its images to `png_out` and `svg_out`) into PREFIX.png.tmp and
/// PREFIX.svg.tmp, checks each is complete, fsyncs and renames both into place; on any failure
/// EnvironmentError, the temporary files removed and the targets untouched. Returns the paths.
std::vector<std::string> render_images(const std::string& script, const std::string& prefix,
                                       const std::string& gnuplot = "gnuplot");

/// write_plot_files + run_gnuplot into temporary files, each image checked complete, then renamed
/// into place (EnvironmentError and no image under the target name otherwise); returns the paths.
std::vector<std::string> plot(const CsvTable& t, const PlotOptions& o);

}  // namespace rcsim::sweep
