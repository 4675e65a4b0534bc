#pragma once
// Plots of sweep results through gnuplot (PNG via pngcairo and SVG): the data file and the
// gnuplot script are written next to the images (PREFIX.dat, PREFIX.gp) so anyone can tweak
// and rerun them.
#include <string>
#include <vector>

#include "sweep/csv_table.h"

namespace rcsim::sweep {

enum class PlotKind {
  Pareto,     ///< energy per inference vs accuracy, all points and the Pareto front
  Breakdown,  ///< stacked energy per component, one bar per width
  Scaling,    ///< energy and latency vs PE-array size, one line per width
  Adaptive,   ///< `rcsim governor --adaptive` output: threshold curve vs fixed widths
};

PlotKind parse_plot_kind(const std::string& s);

struct PlotOptions {
  PlotKind kind = PlotKind::Pareto;
  std::string out_prefix;               ///< writes PREFIX.png, PREFIX.svg, PREFIX.dat, PREFIX.gp
  std::vector<std::string> where;       ///< row filters "column=value" (all must hold)
  std::string title;                    ///< default: derived from the kind and the filters
  std::string gnuplot = "gnuplot";      ///< executable (searched in PATH)
};

/// The rows of `t` kept by the filters, with status ok. InputError for a filter naming an
/// unknown column.
std::vector<std::size_t> filter_rows(const CsvTable& t, const std::vector<std::string>& where);

/// Writes the data file and gnuplot script for `t` and returns the script path; InputError when
/// the table lacks the columns the kind needs (naming them).
std::string write_plot_files(const CsvTable& t, const PlotOptions& o);

/// Runs `gnuplot` (a name searched in PATH, or a path) on `script` without a shell.
/// EnvironmentError when it is not installed or fails (with its last line of stderr).
void run_gnuplot(const std::string& script, const std::string& gnuplot = "gnuplot");

/// write_plot_files + run_gnuplot; returns the image paths.
std::vector<std::string> plot(const CsvTable& t, const PlotOptions& o);

}  // namespace rcsim::sweep
