// rcsim plot: data files carry the right numbers in the plotted units; gnuplot renders them.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/errors.h"
#include "host/output_file.h"
#include "sweep/plot.h"

using namespace rcsim;
using namespace rcsim::sweep;

namespace {

std::string temp_dir() {
  char tmpl[] = "/tmp/rcsim_plot_test_XXXXXX";
  return ::mkdtemp(tmpl);
}

std::string slurp(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CsvTable results() {
  CsvTable t;
  t.columns = {"point_id", "status", "network", "width", "rows", "cols", "latency_s", "energy_j",
               "energy_by_component_j.pe_array", "energy_by_component_j.weight_sram", "accuracy", "pareto"};
  t.rows = {{"a", "ok", "n", "1", "8", "8", "2e-6", "1e-6", "4e-7", "6e-7", "0.9", "1"},
            {"b", "ok", "n", "2", "8", "8", "4e-6", "3e-6", "1e-6", "2e-6", "0.95", "1"},
            {"c", "ok", "n", "2", "16", "16", "1e-6", "4e-6", "2e-6", "2e-6", "0.95", "0"},
            {"d", "error", "n", "3", "8", "8", "", "", "", "", "", ""}};
  return t;
}

}  // namespace

TEST(Plot, FiltersKeepOkRowsMatchingEveryCondition) {
  const CsvTable t = results();
  EXPECT_EQ(filter_rows(t, {}), (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(filter_rows(t, {"width=2", "rows=16"}), (std::vector<std::size_t>{2}));
  EXPECT_THROW(filter_rows(t, {"depth=2"}), InputError);
  EXPECT_THROW(filter_rows(t, {"width"}), InputError);
}

TEST(Plot, DataFilesUseMicrojoulesAndPercent) {
  const std::string dir = temp_dir();
  PlotOptions o;
  o.out_prefix = dir + "/p";
  o.kind = PlotKind::Pareto;
  write_plot_files(results(), o);
  const std::string pareto = slurp(dir + "/p.dat");
  // Default axes energy_j (min) vs accuracy (max), coloured by width (integers: one key each),
  // in µJ and %; the front over the two axes: b (3 µJ, 95 %) dominates c (4 µJ, 95 %).
  EXPECT_NE(pareto.find("(k=1)\n1 90\n"), std::string::npos) << pareto;
  EXPECT_NE(pareto.find("(k=2)\n3 95\n4 95\n"), std::string::npos) << pareto;
  EXPECT_NE(pareto.find("# Pareto front: energy_j accuracy\n1 90\n3 95\n\n"), std::string::npos) << pareto;
  const std::string gp = slurp(dir + "/p.gp");
  EXPECT_NE(gp.find("set xlabel \"energy (µJ)\""), std::string::npos) << gp;
  EXPECT_NE(gp.find("set ylabel \"accuracy (%)\""), std::string::npos) << gp;
  EXPECT_NE(gp.find("title \"k=2\""), std::string::npos) << gp;
  // Front points are labelled by the axes that vary among the plotted points (width, array).
  EXPECT_NE(pareto.find("\"k=1 8x8\""), std::string::npos) << pareto;
  EXPECT_NE(pareto.find("\"k=2 8x8\""), std::string::npos) << pareto;

  // Any two columns, with directions; a colour column with many values gets a colour bar.
  o.x = "latency_s";
  o.y = "energy_j";
  o.color = "energy_by_component_j.pe_array";
  o.label = "point_id";
  write_plot_files(results(), o);
  const std::string xy = slurp(dir + "/p.dat");
  EXPECT_NE(xy.find("# Pareto front: latency_s energy_j\n1 4\n2 1\n"), std::string::npos) << xy;
  EXPECT_NE(slurp(dir + "/p.gp").find("lc palette"), std::string::npos);
  EXPECT_NE(xy.find("\"c\""), std::string::npos) << xy;
  // A bound on an axis is drawn in the axis' display unit (3e-6 s → 3 µs); only x/y bounds.
  o.limits = {"latency_s<3e-6"};
  write_plot_files(results(), o);
  EXPECT_NE(slurp(dir + "/p.gp").find("set arrow from first 3, graph 0 to first 3, graph 1"), std::string::npos);
  o.limits = {"accuracy>0.5"};
  EXPECT_THROW(write_plot_files(results(), o), InputError);
  o.limits = {};
  // Colour by array shape (a virtual column), keys sorted by PE count.
  o.color = "array";
  write_plot_files(results(), o);
  const std::string by_array = slurp(dir + "/p.gp");
  EXPECT_LT(by_array.find("title \"8x8\""), by_array.find("title \"16x16\"")) << by_array;
  o.color = "energy_by_component_j.pe_array";
  o.x = "latency_s:max";
  write_plot_files(results(), o);
  EXPECT_NE(slurp(dir + "/p.dat").find("# Pareto front: latency_s energy_j\n2 1\n4 3\n"), std::string::npos);
  o.x = "latncy_s";
  try {
    write_plot_files(results(), o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'latency_s'"), std::string::npos) << e.what();
  }
  // The CSV's front (here b and a) is circled but not joined: it may span more objectives than x, y.
  o.x = o.y = o.color = "";
  o.front = FrontSource::Csv;
  write_plot_files(results(), o);
  EXPECT_EQ(slurp(dir + "/p.gp").find("with lines"), std::string::npos);
  EXPECT_NE(slurp(dir + "/p.dat").find("# Pareto front: energy_j accuracy\n1 90\n3 95\n"), std::string::npos);
  o.front = FrontSource::Axes;
  o.label = "auto";

  o.kind = PlotKind::Breakdown;
  write_plot_files(results(), o);
  const std::string bd = slurp(dir + "/p.dat");
  EXPECT_NE(bd.find("width \"pe_array\" \"weight_sram\"\n1 0.4 0.6\n2 1 2\n"), std::string::npos) << bd;

  o.kind = PlotKind::Scaling;
  write_plot_files(results(), o);
  const std::string sc = slurp(dir + "/p.dat");
  EXPECT_NE(sc.find("# width 2: PEs energy_uJ latency_us\n64 3 4\n256 4 1\n"), std::string::npos) << sc;

  // Without an accuracy column --kind pareto plots energy against latency.
  CsvTable no_acc = results();
  no_acc.columns[10] = "acc";
  o.kind = PlotKind::Pareto;
  write_plot_files(no_acc, o);
  EXPECT_NE(slurp(dir + "/p.gp").find("set ylabel \"latency (µs)\""), std::string::npos);
}

TEST(Plot, GnuplotWritesPngAndSvg) {
  if (::system("gnuplot --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "gnuplot not installed";
  const std::string dir = temp_dir();
  PlotOptions o;
  o.out_prefix = dir + "/p";
  o.kind = PlotKind::Scaling;
  const auto files = plot(results(), o);
  ASSERT_EQ(files.size(), 2u);
  const std::string png = slurp(files[0]);
  ASSERT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  EXPECT_NE(slurp(files[1]).find("<svg"), std::string::npos);
}

// A gnuplot that exits 0 after writing a truncated PNG (what a full disk does): plot() fails with
// one EnvironmentError, the previous images stay untouched and no temporary file is left.
TEST(Plot, TruncatedImageIsNeverRenamedIntoPlace) {
  const std::string dir = temp_dir();
  const std::string fake = dir + "/fake-gnuplot";
  {
    std::ofstream f(fake);
    // Arguments: -e "png_out = 'PATH'" -e "svg_out = 'PATH'" SCRIPT.
    f << "#!/bin/sh\n"
         "png=$(printf '%s' \"$2\" | sed \"s/^png_out = '\\(.*\\)'$/\\1/\")\n"
         "svg=$(printf '%s' \"$4\" | sed \"s/^svg_out = '\\(.*\\)'$/\\1/\")\n"
         "printf '\\211PNG\\r\\n\\032\\nIHDR' > \"$png\"\n"
         "printf '<svg>\\n</svg>\\n' > \"$svg\"\n";
  }
  ::chmod(fake.c_str(), 0755);
  {
    std::ofstream(dir + "/p.png") << "old png";
    std::ofstream(dir + "/p.svg") << "old svg";
  }
  PlotOptions o;
  o.out_prefix = dir + "/p";
  o.kind = PlotKind::Scaling;
  o.gnuplot = fake;
  try {
    plot(results(), o);
    FAIL() << "a truncated PNG was accepted";
  } catch (const EnvironmentError& e) {
    EXPECT_NE(std::string(e.what()).find("p.png.tmp: the image is incomplete"), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurp(dir + "/p.png"), "old png");
  EXPECT_EQ(slurp(dir + "/p.svg"), "old svg");
  EXPECT_NE(::access((dir + "/p.png.tmp").c_str(), F_OK), 0);
  EXPECT_NE(::access((dir + "/p.svg.tmp").c_str(), F_OK), 0);
}

// The script alone (a user rerunning `gnuplot PREFIX.gp`) still writes PREFIX.png and PREFIX.svg.
TEST(Plot, ScriptDefaultsToTheTargetImageNames) {
  const std::string dir = temp_dir();
  PlotOptions o;
  o.out_prefix = dir + "/p";
  o.kind = PlotKind::Scaling;
  write_plot_files(results(), o);
  const std::string gp = slurp(dir + "/p.gp");
  EXPECT_NE(gp.find("if (!exists(\"png_out\")) png_out = '" + dir + "/p.png'"), std::string::npos);
  EXPECT_NE(gp.find("set output png_out"), std::string::npos);
  EXPECT_NE(gp.find("set output svg_out"), std::string::npos);
}

// Image paths are single-quoted gnuplot strings: no backslash escapes, a quote doubled.
TEST(Plot, ImagePathsAreQuotedLiterally) {
  EXPECT_EQ(image_output_variables("a'b\\n"),
            "if (!exists(\"png_out\")) png_out = 'a''b\\n.png'\n"
            "if (!exists(\"svg_out\")) svg_out = 'a''b\\n.svg'\n");
}

// Atomic writes: the directory holding the file is synced after the rename; a directory that
// cannot be opened is an EnvironmentError, and a target that is not a regular file is refused.
TEST(OutputFile, SyncsTheParentDirectoryAndRefusesDevices) {
  const std::string dir = temp_dir();
  write_file_atomic(dir + "/a.csv", "x\n");
  EXPECT_EQ(slurp(dir + "/a.csv"), "x\n");
  EXPECT_NE(::access((dir + "/a.csv.tmp").c_str(), F_OK), 0);
  EXPECT_NO_THROW(sync_parent_directory(dir + "/a.csv"));
  EXPECT_THROW(sync_parent_directory(dir + "/missing/a.csv"), EnvironmentError);
  std::ofstream(dir + "/b.tmp") << "y";
  EXPECT_THROW(commit_file(dir + "/b.tmp", "/dev/null"), EnvironmentError);
  EXPECT_NE(::access((dir + "/b.tmp").c_str(), F_OK), 0);  // the temporary is removed
  std::ofstream(dir + "/c.tmp") << "z";
  commit_file(dir + "/c.tmp", dir + "/c");
  EXPECT_EQ(slurp(dir + "/c"), "z");
  EXPECT_NO_THROW(sync_file(dir + "/c"));
  EXPECT_THROW(sync_file(dir + "/missing"), EnvironmentError);
  EXPECT_NO_THROW(refuse_non_regular_target(dir + "/c"));
  EXPECT_NO_THROW(refuse_non_regular_target(dir + "/missing"));
  EXPECT_THROW(refuse_non_regular_target("/dev/null"), EnvironmentError);
}
