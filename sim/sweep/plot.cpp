#include "sweep/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "core/errors.h"
#include "core/yaml_util.h"
#include "host/output_file.h"
#include "sweep/child_process.h"
#include "sweep/pareto.h"
#include "sweep/point_label.h"

namespace rcsim::sweep {

namespace {

double number(const std::string& s) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  return (s.empty() || *end) ? std::nan("") : v;
}

std::string fmt(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

int need(const CsvTable& t, const std::string& col, const char* kind) {
  const int c = t.column(col);
  if (c < 0) throw InputError(std::string("plot --kind ") + kind + ": the CSV has no '" + col + "' column");
  return c;
}

std::string quoted(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += c == '"' ? '\'' : c;
  return q + "\"";
}

// The image paths are gnuplot variables: a user rerunning the script writes PREFIX.png/.svg, while
// `plot` sets them to temporary names (gnuplot -e) and renames the images into place only once
// both are complete.
std::string terminals_prologue(const std::string& prefix) {
  return "set encoding utf8\nset grid\nset key outside right top\n" + image_output_variables(prefix);
}

// The plot commands are emitted once per terminal so both images come from one script.
std::string both_terminals(const std::string& body) {
  std::string s;
  s += "set terminal pngcairo size 1000,640 font 'DejaVu Sans,11' noenhanced\nset output png_out\n";
  s += body;
  s += "set terminal svg size 1000,640 dynamic font 'DejaVu Sans,11' noenhanced\nset output svg_out\n";
  s += body;
  s += "set output\n";
  return s;
}

std::string title_of(const PlotOptions& o, const std::string& base) {
  if (!o.title.empty()) return o.title;
  std::string t = base;
  for (const auto& w : o.where) t += ", " + w;
  return t;
}

// An axis of a pareto plot: column, optimization direction, display scale and label.
struct PlotAxis {
  std::string column;
  bool maximize = false;
  int index = -1;
  double scale = 1;
  std::string label;
};

// The display unit of a column from its suffix (docs/outputs.md naming rule), scaled so the
// largest value reads between 1 and 1000: latency_s 2.9e-5 → "latency (µs)", × 1e6.
void choose_scale(PlotAxis& a, const std::vector<double>& values) {
  double m = 0;
  for (double v : values) m = std::max(m, std::fabs(v));
  const std::string& c = a.column;
  auto ends = [&c](const std::string& suf) {
    return c.size() > suf.size() && c.compare(c.size() - suf.size(), suf.size(), suf) == 0;
  };
  std::string base = c, unit;
  a.scale = 1;
  if (c == "accuracy" || c == "utilization" || ends(".accuracy")) {
    a.scale = 100, unit = "%";
  } else {
    static const std::vector<std::pair<std::string, std::string>> si = {
        {"_j", "J"}, {"_s", "s"}, {"_w", "W"}, {"_hz", "Hz"}, {"_js", "J·s"}, {"_mm2", "mm²"}, {"_jsmm2", "J·s·mm²"}};
    for (const auto& [suf, u] : si)
      if (ends(suf)) base = c.substr(0, c.size() - suf.size()), unit = u;
    if (ends("_bytes")) {
      base = c.substr(0, c.size() - 6);
      unit = m >= 4 * 1048576.0 ? "MiB" : m >= 4096 ? "KiB" : "bytes";
      a.scale = unit == "MiB" ? 1.0 / 1048576 : unit == "KiB" ? 1.0 / 1024 : 1;
    } else if (unit == "J" || unit == "s" || unit == "W") {
      static const std::vector<std::pair<double, std::string>> prefixes = {
          {1, ""}, {1e-3, "m"}, {1e-6, "µ"}, {1e-9, "n"}, {1e-12, "p"}};
      for (const auto& [f, p] : prefixes)
        if (m >= f || f == 1e-12) {
          a.scale = 1 / f, unit = p + unit;
          break;
        }
    }
  }
  for (auto& ch : base)
    if (ch == '_') ch = ' ';
  a.label = unit.empty() ? base : base + " (" + unit + ")";
}

PlotAxis parse_axis(const CsvTable& t, const std::string& text, const char* option) {
  PlotAxis a;
  a.column = text;
  const auto colon = text.rfind(':');
  std::string dir;
  if (colon != std::string::npos) a.column = text.substr(0, colon), dir = text.substr(colon + 1);
  if (!dir.empty() && dir != "min" && dir != "max")
    throw InputError(std::string(option) + " '" + text + "': direction must be min or max");
  a.maximize = dir.empty() ? a.column == "accuracy" : dir == "max";
  a.index = t.column(a.column);
  if (a.index < 0) {
    std::string msg = std::string(option) + ": the CSV has no '" + a.column + "' column";
    const std::string hint = yaml::did_you_mean(a.column, t.columns);
    if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
    throw InputError(msg);
  }
  return a;
}

bool has_numbers(const CsvTable& t, const std::vector<std::size_t>& rows, int c) {
  for (std::size_t r : rows)
    if (!std::isnan(number(t.rows[r][std::size_t(c)]))) return true;
  return false;
}

// Pareto: x against y, points coloured by a column (discrete keys for integers and names, a
// colour bar otherwise), the front over (x, y) joined and its points labelled by what
// distinguishes them. Data blocks: one per colour key (or one with a colour column), the front,
// the labels.
std::string pareto_files(const CsvTable& t, const std::vector<std::size_t>& rows, const PlotOptions& o,
                         std::string& data) {
  std::string ytext = o.y;
  if (ytext.empty()) {
    const int ca = t.column("accuracy");
    ytext = ca >= 0 && has_numbers(t, rows, ca) ? "accuracy" : "latency_s";
  }
  PlotAxis x = parse_axis(t, o.x.empty() ? "energy_j" : o.x, "--x");
  PlotAxis y = parse_axis(t, ytext, "--y");
  std::vector<std::size_t> pts;
  std::vector<double> xs, ys;
  for (std::size_t r : rows) {
    const double a = number(t.rows[r][std::size_t(x.index)]), b = number(t.rows[r][std::size_t(y.index)]);
    if (std::isnan(a) || std::isnan(b)) continue;
    pts.push_back(r), xs.push_back(a), ys.push_back(b);
  }
  if (pts.empty()) throw InputError("plot: no row has numeric " + x.column + " and " + y.column);
  choose_scale(x, xs);
  choose_scale(y, ys);

  // Colour: --color, else width when it varies; discrete when every value is an integer or a
  // name and there are at most 12 of them.
  std::string color = o.color;
  if (color.empty()) {
    const int cw = t.column("width");
    std::set<std::string> ws;
    if (cw >= 0)
      for (std::size_t r : pts) ws.insert(t.rows[r][std::size_t(cw)]);
    color = ws.size() > 1 ? "width" : "none";
  }
  // The colour of each point as text: a column's value, or for "array" the shape RxC. Keys of
  // design axes read like the labels (128KiB, k=2), other columns as name=value.
  int cc = -1;
  const bool color_is_array = color == "array";
  if (color != "none" && !color_is_array) {
    cc = t.column(color);
    if (cc < 0) {
      std::string msg = "--color: the CSV has no '" + color + "' column";
      const std::string hint = yaml::did_you_mean(color, t.columns);
      if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
      throw InputError(msg + " (or array, none)");
    }
  }
  const bool colored = cc >= 0 || color_is_array;
  auto color_value = [&](std::size_t r) {
    return color_is_array ? axis_text(t, r, "array") : t.rows[r][std::size_t(cc)];
  };
  const bool color_axis =
      color_is_array || color == "width" || color == "wsram_bytes" || color == "act_bytes" || color == "precision";
  auto key_text = [&](std::size_t r) { return color_axis ? axis_text(t, r, color) : color + "=" + color_value(r); };
  std::vector<std::string> keys;  // discrete colour keys in order
  bool discrete = true;
  if (colored) {
    std::set<std::string> vals;
    bool integers = true, numeric = true;
    for (std::size_t r : pts) {
      const std::string v = color_value(r);
      vals.insert(v);
      const double d = number(v);
      numeric = numeric && !std::isnan(d);
      integers = integers && !std::isnan(d) && d == std::floor(d);
    }
    discrete = vals.size() <= 12 && (integers || !numeric);
    if (!discrete && !numeric) throw InputError("--color " + color + ": more than 12 distinct non-numeric values");
    keys.assign(vals.begin(), vals.end());
    if (integers)
      std::sort(keys.begin(), keys.end(),
                [](const std::string& a, const std::string& b) { return number(a) < number(b); });
    if (color_is_array)  // by PE count, then rows
      std::sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) {
        const auto xa = a.find('x'), xb = b.find('x');
        const double ra = number(a.substr(0, xa)), ca = number(a.substr(xa + 1));
        const double rb = number(b.substr(0, xb)), cb = number(b.substr(xb + 1));
        return ra * ca != rb * cb ? ra * ca < rb * cb : ra < rb;
      });
  }

  // The front: over (x, y) in their directions, or the CSV's pareto flag.
  std::vector<bool> on_front(pts.size(), false);
  if (o.front == FrontSource::Axes) {
    std::vector<std::vector<double>> v;
    for (std::size_t i = 0; i < pts.size(); ++i)
      v.push_back({x.maximize ? -xs[i] : xs[i], y.maximize ? -ys[i] : ys[i]});
    on_front = pareto_front(v);
  } else if (o.front == FrontSource::Csv) {
    const int cp = t.column("pareto");
    if (cp < 0) throw InputError("--front csv: the CSV has no 'pareto' column");
    for (std::size_t i = 0; i < pts.size(); ++i) on_front[i] = t.rows[pts[i]][std::size_t(cp)] == "1";
  }

  // Labels: what distinguishes the points (the axes that vary among those plotted), a column, or none.
  const std::vector<std::string> axes = varying_axes(t, pts);
  auto label_of = [&](std::size_t r) -> std::string {
    if (o.label == "none") return "";
    if (o.label == "auto") return point_label(t, r, axes);
    const int c = t.column(o.label);
    if (c < 0) throw InputError("--label: the CSV has no '" + o.label + "' column (or auto, none)");
    return t.rows[r][std::size_t(c)];
  };

  std::ostringstream d;
  const std::string f = quoted(o.out_prefix + ".dat");
  std::string plots;
  int block = 0;
  auto sep = [&plots] { return plots.empty() ? std::string("plot ") : std::string(", \\\n     "); };
  static const char* const palette[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
                                        "#a6761d", "#666666", "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6"};
  // A continuous colour column is shown in its display unit like the axes (latency_s → µs).
  PlotAxis cscale;
  if (colored && !discrete) {
    cscale.column = color;
    std::vector<double> cv;
    for (std::size_t r : pts) cv.push_back(number(color_value(r)));
    choose_scale(cscale, cv);
  }
  if (!colored || discrete) {
    const std::vector<std::string> groups = !colored ? std::vector<std::string>{""} : keys;
    for (std::size_t k = 0; k < groups.size(); ++k) {
      std::string title = "design points";
      std::ostringstream block_data;
      for (std::size_t i = 0; i < pts.size(); ++i)
        if (!colored || color_value(pts[i]) == groups[k]) {
          block_data << fmt(xs[i] * x.scale) << " " << fmt(ys[i] * y.scale) << "\n";
          if (colored) title = key_text(pts[i]);
        }
      d << "# " << x.column << " " << y.column << (colored ? " (" + title + ")" : "") << "\n"
        << block_data.str() << "\n\n";
      plots += sep() + f + " index " + std::to_string(block++) + " using 1:2 with points pt 7 ps 0.9 lc rgb '" +
               palette[k % 12] + "' title " + quoted(title);
    }
  } else {
    d << "# " << x.column << " " << y.column << " " << color << "\n";
    for (std::size_t i = 0; i < pts.size(); ++i)
      d << fmt(xs[i] * x.scale) << " " << fmt(ys[i] * y.scale) << " " << fmt(number(color_value(pts[i])) * cscale.scale) << "\n";
    d << "\n\n";
    plots +=
        sep() + f + " index " + std::to_string(block++) + " using 1:2:3 with points pt 7 ps 0.9 lc palette notitle";
  }
  std::vector<std::pair<double, double>> fr;
  std::vector<std::size_t> front_rows;
  for (std::size_t i = 0; i < pts.size(); ++i)
    if (on_front[i]) fr.emplace_back(xs[i] * x.scale, ys[i] * y.scale), front_rows.push_back(i);
  std::sort(front_rows.begin(), front_rows.end(), [&](std::size_t a, std::size_t b) { return xs[a] < xs[b]; });
  if (!front_rows.empty()) {
    d << "# Pareto front: " << x.column << " " << y.column << "\n";
    for (std::size_t i : front_rows) d << fmt(xs[i] * x.scale) << " " << fmt(ys[i] * y.scale) << "\n";
    d << "\n\n";
    const std::string idx = std::to_string(block++);
    // A front over more objectives than the two axes is no curve in this plane: circles only.
    if (o.front == FrontSource::Axes)
      plots += sep() + f + " index " + idx + " using 1:2 with lines lw 1.5 lc rgb 'black' notitle";
    plots +=
        sep() + f + " index " + idx + " using 1:2 with points pt 6 ps 1.8 lw 1.5 lc rgb 'black' title 'Pareto front'";
  }
  // Labels, alternating above and below so neighbours along the front do not overlap.
  std::ostringstream lab[2];
  std::size_t n_labels[2] = {0, 0};
  std::vector<std::size_t> labelled = front_rows;
  if (o.label_all) {
    labelled.clear();
    for (std::size_t i = 0; i < pts.size(); ++i) labelled.push_back(i);
  }
  for (std::size_t j = 0; j < labelled.size(); ++j) {
    const std::size_t i = labelled[j];
    const std::string text = label_of(pts[i]);
    if (text.empty()) continue;
    lab[j % 2] << fmt(xs[i] * x.scale) << " " << fmt(ys[i] * y.scale) << " " << quoted(text) << "\n";
    ++n_labels[j % 2];
  }
  for (int side = 0; side < 2; ++side)
    if (n_labels[side]) {
      d << "# labels: x y text\n" << lab[side].str() << "\n\n";
      plots += sep() + f + " index " + std::to_string(block++) + " using 1:2:3 with labels left offset char 0.9," +
               (side ? "-0.8" : "0.8") + " font ',9' notitle";
    }
  data = d.str();
  std::string body;
  std::string what = y.column + " vs " + x.column;
  body += "set title " + quoted(title_of(o, what)) + "\n";
  body += "set xlabel " + quoted(x.label) + "\nset ylabel " + quoted(y.label) + "\n";
  auto span = [](const std::vector<double>& v) {
    double lo = 1e300, hi = -1e300;
    for (double a : v) lo = std::min(lo, a), hi = std::max(hi, a);
    return lo > 0 ? hi / lo : 0.0;
  };
  if (span(xs) > 30) body += "set logscale x\n";
  if (span(ys) > 30) body += "set logscale y\n";
  body += "set offsets graph 0.02, graph 0.12, graph 0.05, graph 0.05\n";
  // A compact key inside the corner the front is farthest from.
  const std::string corner = std::string(y.maximize ? "bottom" : "top") + " " + (x.maximize ? "left" : "right");
  body += "set key inside " + corner + " opaque box samplen 1 spacing 1 font ',9'\n";
  // Constraint lines: a bound on x is a vertical line, on y a horizontal one.
  for (const auto& text : o.limits)
    for (const auto& c : parse_conditions(text)) {
      const bool on_x = c.column == x.column, on_y = c.column == y.column;
      if (!on_x && !on_y)
        throw InputError("--limit '" + c.text + "': only a bound on the x or y column (" + x.column + ", " + y.column +
                         ") can be drawn");
      if (c.op == CompareOp::Equal || c.op == CompareOp::NotEqual)
        throw InputError("--limit '" + c.text + "': expected a bound (<, <=, >, >=)");
      const std::string v = fmt(cell_number(c.value) * (on_x ? x.scale : y.scale));
      if (on_x)
        body += "set arrow from first " + v + ", graph 0 to first " + v +
                ", graph 1 nohead dt 2 lw 1.5 lc rgb 'gray30'\n" + "set label " + quoted(c.text) + " at first " + v +
                ", graph 0.97 right offset char -0.5,0 font ',9' tc rgb 'gray30'\n";
      else
        body += "set arrow from graph 0, first " + v + " to graph 1, first " + v +
                " nohead dt 2 lw 1.5 lc rgb 'gray30'\n" + "set label " + quoted(c.text) + " at graph 0.01, first " + v +
                " left offset char 0,0.6 font ',9' tc rgb 'gray30'\n";
    }
  if (colored && !discrete) body += "set palette rgb 33,13,10\nset cblabel " + quoted(cscale.label) + "\n";
  body += plots + "\n";
  return body;
}

// Breakdown: one bar per width (first matching row per width), stacked component energies (µJ).
std::string breakdown_files(const CsvTable& t, const std::vector<std::size_t>& rows, const PlotOptions& o,
                            std::string& data) {
  const int cw = need(t, "width", "breakdown");
  std::vector<std::pair<std::string, int>> comps;  // short name, column
  const std::string marker = "energy_by_component_j.";
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    const auto pos = t.columns[c].find(marker);
    if (pos != std::string::npos && (pos == 0 || t.columns[c][pos - 1] == '.'))
      comps.emplace_back(t.columns[c].substr(pos + marker.size()), int(c));
  }
  if (comps.empty())
    throw InputError("plot --kind breakdown: the CSV has no energy_by_component_j.* columns (a sweep with the energy model)");
  std::map<int, std::size_t> first_of_width;
  for (std::size_t r : rows) {
    const double w = number(t.rows[r][std::size_t(cw)]);
    if (!std::isnan(w)) first_of_width.emplace(int(w), r);
  }
  std::ostringstream d;
  d << "width";
  for (const auto& c : comps) d << " " << quoted(c.first);
  d << "\n";
  for (const auto& [w, r] : first_of_width) {
    d << w;
    for (const auto& c : comps) {
      const double v = number(t.rows[r][std::size_t(c.second)]);
      d << " " << fmt(std::isnan(v) ? 0 : v * 1e6);
    }
    d << "\n";
  }
  data = d.str();
  std::string body;
  body += "set title " + quoted(title_of(o, "Energy per inference by component")) + "\n";
  body += "set xlabel 'Width configuration k'\nset ylabel 'Energy per inference (µJ)'\n";
  body += "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.85 border -1\n";
  body += "set boxwidth 0.6\nset yrange [0:*]\nset key autotitle columnheader\n";
  body += "plot for [i=2:" + std::to_string(comps.size() + 1) + "] " + quoted(o.out_prefix + ".dat") +
          " using i:xtic(1)\n";
  return body;
}

// Scaling: x = PEs (rows·cols), energy (µJ, left axis) and latency (µs, right axis) per width.
// Every shape is a point (16×64 and 32×32 both have 1024 PEs); per width the lines join the
// lowest energy and the lowest latency of each PE count, and the shapes of the first width are
// labelled where a PE count has more than one.
std::string scaling_files(const CsvTable& t, const std::vector<std::size_t>& rows, const PlotOptions& o,
                          std::string& data) {
  const int cr = need(t, "rows", "scaling"), cc = need(t, "cols", "scaling"), cw = need(t, "width", "scaling");
  const int ce = need(t, "energy_j", "scaling"), cl = need(t, "latency_s", "scaling");
  struct Shape {
    double pes, e, l;
    std::string name;
  };
  std::map<int, std::map<std::string, Shape>> series;  // width → "RxC" → point (first row of each)
  for (std::size_t r : rows) {
    const double R = number(t.rows[r][std::size_t(cr)]), C = number(t.rows[r][std::size_t(cc)]);
    const double e = number(t.rows[r][std::size_t(ce)]), l = number(t.rows[r][std::size_t(cl)]);
    const double w = number(t.rows[r][std::size_t(cw)]);
    if (std::isnan(R) || std::isnan(C) || std::isnan(e) || std::isnan(l) || std::isnan(w)) continue;
    const std::string name = t.rows[r][std::size_t(cr)] + "x" + t.rows[r][std::size_t(cc)];
    series[int(w)].emplace(name, Shape{R * C, e * 1e6, l * 1e6, name});
  }
  if (series.empty()) throw InputError("plot --kind scaling: no row has rows, cols, energy_j and latency_s");
  std::ostringstream d;
  std::string body;
  body += "set title " + quoted(title_of(o, "Energy and latency vs PE-array size")) + "\n";
  body += "set xlabel 'PE-array size (PEs = rows × cols)'\nset logscale x 2\n";
  body += "set ylabel 'Energy per inference (µJ)'\nset y2label 'Latency (µs)'\nset logscale y\nset logscale y2\n";
  body += "set ytics nomirror\nset y2tics\nset key outside right top samplen 2 spacing 1 font ',9'\n";
  body += "plot ";
  const std::string f = quoted(o.out_prefix + ".dat");
  int idx = 0;
  bool first = true;
  for (const auto& [w, shapes] : series) {
    std::map<double, std::pair<double, double>> best;  // PEs → (min E, min L)
    std::map<double, int> shapes_per_pes;
    for (const auto& [name, s] : shapes) {
      auto it = best.find(s.pes);
      if (it == best.end())
        best.emplace(s.pes, std::make_pair(s.e, s.l));
      else
        it->second = {std::min(it->second.first, s.e), std::min(it->second.second, s.l)};
      ++shapes_per_pes[s.pes];
    }
    d << "# width " << w << ": PEs energy_uJ latency_us\n";
    for (const auto& [pes, el] : best) d << fmt(pes) << " " << fmt(el.first) << " " << fmt(el.second) << "\n";
    d << "\n\n# width " << w << ", every shape: PEs energy_uJ latency_us shape\n";
    for (const auto& [name, s] : shapes)
      d << fmt(s.pes) << " " << fmt(s.e) << " " << fmt(s.l) << " " << quoted(name) << "\n";
    d << "\n\n";
    const std::string lines = std::to_string(idx), all = std::to_string(idx + 1), lc = std::to_string(w);
    if (!first) body += ", \\\n     ";
    body += f + " index " + lines + " using 1:2 axes x1y1 with lines lw 2 lc " + lc +
            " title 'energy, k=" + std::to_string(w) + "', \\\n     " + f + " index " + all +
            " using 1:2 axes x1y1 with points pt 7 lc " + lc + " notitle, \\\n     " + f + " index " + lines +
            " using 1:3 axes x1y2 with lines lw 2 dt 2 lc " + lc + " title 'latency, k=" + std::to_string(w) +
            "', \\\n     " + f + " index " + all + " using 1:3 axes x1y2 with points pt 6 lc " + lc + " notitle";
    bool shared = false;
    for (const auto& [pes, n] : shapes_per_pes) shared = shared || n > 1;
    if (first && shared)
      body += ", \\\n     " + f + " index " + all +
              " using 1:2:4 axes x1y1 with labels left offset char 0.6,0.6 font ',8' notitle";
    first = false;
    idx += 2;
  }
  body += "\n";
  data = d.str();
  return body;
}

// Adaptive: fixed widths as labelled points, each escalation mode's threshold sweep as a line.
std::string adaptive_files(const CsvTable& t, const std::vector<std::size_t>& rows, const PlotOptions& o,
                           std::string& data) {
  const int cp = need(t, "policy", "adaptive"), ce = need(t, "energy_j", "adaptive"),
            ca = need(t, "accuracy", "adaptive"), ct = need(t, "threshold", "adaptive");
  std::ostringstream fixed;
  std::map<std::string, std::ostringstream> curves;
  fixed << "# energy_uJ accuracy_pct label (fixed widths)\n";
  for (std::size_t r : rows) {
    const std::string& policy = t.rows[r][std::size_t(cp)];
    const double e = number(t.rows[r][std::size_t(ce)]) * 1e6, a = number(t.rows[r][std::size_t(ca)]) * 100;
    if (std::isnan(e) || std::isnan(a)) continue;
    if (policy.rfind("fixed:", 0) == 0) {
      fixed << fmt(e) << " " << fmt(a) << " " << quoted("k=" + policy.substr(6)) << "\n";
    } else {
      curves[policy] << fmt(e) << " " << fmt(a) << " " << quoted(t.rows[r][std::size_t(ct)]) << "\n";
    }
  }
  data = fixed.str();
  std::string body;
  body += "set title " + quoted(title_of(o, "Adaptive width (escalate below a softmax-margin threshold) vs fixed widths")) + "\n";
  body += "set xlabel 'Energy per image (µJ)'\nset ylabel 'Accuracy (%)'\nset logscale x\nset offsets 0, 0, 0.3, 0.3\n";
  const std::string f = quoted(o.out_prefix + ".dat");
  body += "plot " + f + " index 0 using 1:2 with points pt 7 ps 1.5 lc rgb 'black' title 'fixed width', \\\n";
  body += "     " + f + " index 0 using 1:2:3 with labels offset 1.5,-0.8 notitle";
  int idx = 1;
  for (auto& [name, ss] : curves) {
    data += "\n\n# " + name + ": energy_uJ accuracy_pct threshold\n" + ss.str();
    body += ", \\\n     " + f + " index " + std::to_string(idx) + " using 1:2 with linespoints lw 2 pt 6 lc " +
            std::to_string(idx) + " title " + quoted(name + " (threshold swept)");
    ++idx;
  }
  body += "\n";
  return body;
}

}  // namespace

PlotKind parse_plot_kind(const std::string& s) {
  if (s == "pareto") return PlotKind::Pareto;
  if (s == "breakdown") return PlotKind::Breakdown;
  if (s == "scaling") return PlotKind::Scaling;
  if (s == "adaptive") return PlotKind::Adaptive;
  throw InputError("--kind '" + s + "': expected pareto, breakdown, scaling or adaptive");
}

std::string write_plot_files(const CsvTable& t, const PlotOptions& o) {
  if (o.out_prefix.empty()) throw InputError("plot: --out PREFIX is required");
  const std::vector<std::size_t> rows = filter_rows(t, o.where);
  if (rows.empty()) throw InputError("plot: no rows with status ok match the filters");
  std::string data, body;
  switch (o.kind) {
    case PlotKind::Pareto: body = pareto_files(t, rows, o, data); break;
    case PlotKind::Breakdown: body = breakdown_files(t, rows, o, data); break;
    case PlotKind::Scaling: body = scaling_files(t, rows, o, data); break;
    case PlotKind::Adaptive: body = adaptive_files(t, rows, o, data); break;
  }
  write_file_atomic(o.out_prefix + ".dat", data);
  const std::string script = o.out_prefix + ".gp";
  write_file_atomic(script, "# Generated by rcsim plot; rerun with: gnuplot " + script + "\n" + terminals_prologue(o.out_prefix) +
                                both_terminals(body));
  return script;
}

void run_gnuplot(const std::string& script, const std::string& gnuplot, const std::vector<std::string>& commands) {
  std::vector<std::string> argv = {find_program(gnuplot, "install gnuplot-nox")};
  for (const auto& c : commands) argv.push_back("-e"), argv.push_back(c);
  argv.push_back(script);
  const ChildResult r = run_child(argv);
  if (r.exit_code != 0) {
    std::string err = r.err;
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    const auto nl = err.rfind('\n');
    throw EnvironmentError(gnuplot + " failed on " + script + ": " +
                           (nl == std::string::npos ? err : err.substr(nl + 1)));
  }
}

namespace {
// Single-quoted gnuplot string: no escapes are processed, '' is a literal quote.
std::string gnuplot_single_quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}
}  // namespace

std::string image_output_variables(const std::string& prefix) {
  return "if (!exists(\"png_out\")) png_out = " + gnuplot_single_quoted(prefix + ".png") + "\n" +
         "if (!exists(\"svg_out\")) svg_out = " + gnuplot_single_quoted(prefix + ".svg") + "\n";
}

std::vector<std::string> render_images(const std::string& script, const std::string& prefix, const std::string& gnuplot) {
  const std::vector<std::string> images = {prefix + ".png", prefix + ".svg"};
  // gnuplot writes beside the targets under .tmp names; on a full disk it still exits 0 with a
  // truncated image, so each is checked (PNG trailer, SVG closing tag) and synced before anything
  // is renamed: the targets are either both new and whole or untouched.
  for (const auto& f : images) refuse_non_regular_target(f);
  auto remove_temps = [&images] {
    for (const auto& f : images) std::remove((f + ".tmp").c_str());
  };
  try {
    run_gnuplot(script, gnuplot,
                {"png_out = " + gnuplot_single_quoted(images[0] + ".tmp"),
                 "svg_out = " + gnuplot_single_quoted(images[1] + ".tmp")});
    for (const auto& f : images) require_complete_image(f + ".tmp");
    for (const auto& f : images) sync_file(f + ".tmp");
  } catch (const EnvironmentError&) {
    remove_temps();
    throw;
  }
  for (const auto& f : images) commit_file(f + ".tmp", f);
  return images;
}

std::vector<std::string> plot(const CsvTable& t, const PlotOptions& o) {
  return render_images(write_plot_files(t, o), o.out_prefix, o.gnuplot);
}

}  // namespace rcsim::sweep
