#include "sweep/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "core/errors.h"
#include "sweep/child_process.h"

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

std::string terminals_prologue() {
  return "set encoding utf8\nset grid\nset key outside right top\n";
}

// The plot commands are emitted once per terminal so both images come from one script.
std::string both_terminals(const std::string& prefix, const std::string& body) {
  std::string s;
  s += "set terminal pngcairo size 1000,640 font 'DejaVu Sans,11' noenhanced\nset output " + quoted(prefix + ".png") + "\n";
  s += body;
  s += "set terminal svg size 1000,640 dynamic font 'DejaVu Sans,11' noenhanced\nset output " + quoted(prefix + ".svg") + "\n";
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

// Pareto: columns energy (µJ), accuracy (%), on_front, width; the front sorted by energy.
std::string pareto_files(const CsvTable& t, const std::vector<std::size_t>& rows, const PlotOptions& o,
                         std::string& data) {
  const int ce = need(t, "energy_j", "pareto");
  const int ca = need(t, "accuracy", "pareto");
  const int cp = t.column("pareto"), cw = t.column("width");
  std::ostringstream all, front;
  std::vector<std::pair<double, double>> fr;
  all << "# energy_uJ accuracy_pct width\n";
  std::size_t n = 0;
  for (std::size_t r : rows) {
    const double e = number(t.rows[r][std::size_t(ce)]), a = number(t.rows[r][std::size_t(ca)]);
    if (std::isnan(e) || std::isnan(a)) continue;
    ++n;
    all << fmt(e * 1e6) << " " << fmt(a * 100) << " " << (cw >= 0 ? t.rows[r][std::size_t(cw)] : "0") << "\n";
    if (cp >= 0 && t.rows[r][std::size_t(cp)] == "1") fr.emplace_back(e * 1e6, a * 100);
  }
  if (n == 0) throw InputError("plot --kind pareto: no row has numeric energy_j and accuracy");
  std::sort(fr.begin(), fr.end());
  front << "# energy_uJ accuracy_pct (Pareto front)\n";
  for (const auto& [e, a] : fr) front << fmt(e) << " " << fmt(a) << "\n";
  data = all.str() + "\n\n" + front.str();
  std::string body;
  body += "set title " + quoted(title_of(o, "Energy vs accuracy")) + "\n";
  body += "set xlabel 'Energy per inference (µJ)'\nset ylabel 'Accuracy (%)'\nset logscale x\nset offsets 0, 0, 0.3, 0.3\n";
  body += "set palette defined (1 '#1b9e77', 2 '#d95f02', 3 '#7570b3', 4 '#e7298a')\nset cblabel 'width k'\n";
  body += "plot " + quoted(o.out_prefix + ".dat") + " index 0 using 1:2:3 with points pt 7 ps 0.8 lc palette title 'design points', \\\n";
  body += "     " + quoted(o.out_prefix + ".dat") + " index 1 using 1:2 with linespoints lw 2 pt 6 ps 1.6 lc rgb 'black' title 'Pareto front'\n";
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
std::string scaling_files(const CsvTable& t, const std::vector<std::size_t>& rows, const PlotOptions& o,
                          std::string& data) {
  const int cr = need(t, "rows", "scaling"), cc = need(t, "cols", "scaling"), cw = need(t, "width", "scaling");
  const int ce = need(t, "energy_j", "scaling"), cl = need(t, "latency_s", "scaling");
  std::map<int, std::map<double, std::pair<double, double>>> series;  // width → PEs → (E, L)
  for (std::size_t r : rows) {
    const double pes = number(t.rows[r][std::size_t(cr)]) * number(t.rows[r][std::size_t(cc)]);
    const double e = number(t.rows[r][std::size_t(ce)]), l = number(t.rows[r][std::size_t(cl)]);
    const double w = number(t.rows[r][std::size_t(cw)]);
    if (std::isnan(pes) || std::isnan(e) || std::isnan(l) || std::isnan(w)) continue;
    series[int(w)].emplace(pes, std::make_pair(e * 1e6, l * 1e6));  // first row per (width, size)
  }
  if (series.empty()) throw InputError("plot --kind scaling: no row has rows, cols, energy_j and latency_s");
  std::ostringstream d;
  std::string body;
  body += "set title " + quoted(title_of(o, "Energy and latency vs PE-array size")) + "\n";
  body += "set xlabel 'PE-array size (PEs = rows × cols)'\nset logscale x 2\n";
  body += "set ylabel 'Energy per inference (µJ)'\nset y2label 'Latency (µs)'\nset logscale y\nset logscale y2\n";
  body += "set ytics nomirror\nset y2tics\n";
  body += "plot ";
  int idx = 0;
  for (const auto& [w, pts] : series) {
    d << "# width " << w << ": PEs energy_uJ latency_us\n";
    for (const auto& [pes, el] : pts) d << fmt(pes) << " " << fmt(el.first) << " " << fmt(el.second) << "\n";
    d << "\n\n";
    const std::string f = quoted(o.out_prefix + ".dat");
    if (idx) body += ", \\\n     ";
    body += f + " index " + std::to_string(idx) + " using 1:2 axes x1y1 with linespoints lw 2 pt 7 lc " +
            std::to_string(idx + 1) + " title 'energy, k=" + std::to_string(w) + "', \\\n     " + f + " index " +
            std::to_string(idx) + " using 1:3 axes x1y2 with linespoints lw 2 dt 2 pt 6 lc " + std::to_string(idx + 1) +
            " title 'latency, k=" + std::to_string(w) + "'";
    ++idx;
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

std::vector<std::size_t> filter_rows(const CsvTable& t, const std::vector<std::string>& where) {
  std::vector<std::pair<int, std::string>> conds;
  for (const auto& w : where) {
    const auto eq = w.find('=');
    if (eq == std::string::npos) throw InputError("--where '" + w + "': expected COLUMN=VALUE");
    const int c = t.column(w.substr(0, eq));
    if (c < 0) throw InputError("--where '" + w + "': no column '" + w.substr(0, eq) + "'");
    conds.emplace_back(c, w.substr(eq + 1));
  }
  const int status = t.column("status");
  std::vector<std::size_t> out;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (status >= 0 && t.rows[r][std::size_t(status)] != "ok") continue;
    bool keep = true;
    for (const auto& [c, v] : conds) keep = keep && t.rows[r][std::size_t(c)] == v;
    if (keep) out.push_back(r);
  }
  return out;
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
  write_file_atomic(script, "# Generated by rcsim plot; rerun with: gnuplot " + script + "\n" + terminals_prologue() +
                                both_terminals(o.out_prefix, body));
  return script;
}

void run_gnuplot(const std::string& script, const std::string& gnuplot) {
  const ChildResult r = run_child({find_program(gnuplot, "install gnuplot-nox"), script});
  if (r.exit_code != 0) {
    std::string err = r.err;
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    const auto nl = err.rfind('\n');
    throw EnvironmentError(gnuplot + " failed on " + script + ": " +
                           (nl == std::string::npos ? err : err.substr(nl + 1)));
  }
}

std::vector<std::string> plot(const CsvTable& t, const PlotOptions& o) {
  run_gnuplot(write_plot_files(t, o), o.gnuplot);
  return {o.out_prefix + ".png", o.out_prefix + ".svg"};
}

}  // namespace rcsim::sweep
