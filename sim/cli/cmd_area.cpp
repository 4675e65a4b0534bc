// `rcsim area [--arch A] [--tech N] [--json|--csv]`: the area table in use with every source, the
// RTL gate counts, the area breakdown of an architecture, and the power-gating overhead and
// break-even idle time of each gated unit (docs/area.md).

#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "area/area_model.h"
#include "area/area_table.h"
#include "area/power_gating.h"
#include "cli/area_breakdown.h"
#include "cli/command_line.h"
#include "cli/commands.h"
#include "energy/energy_table.h"
#include "core/arch_params.h"

namespace rcsim::cli {

namespace {

struct AreaOptions {
  std::string tech;  // "" = the arch's technology
  std::string arch = "default";
  std::vector<std::string> sets;
  bool json = false;
  bool csv = false;
  bool csv_header = true;
  bool no_header = false;
};

std::string num(double v, int precision = 4) {
  std::ostringstream s;
  s << std::setprecision(precision) << v;
  return s.str();
}

std::string duration(double s) {
  if (std::isinf(s)) return "never";
  if (s == 0) return "0 (always)";
  if (s < 1e-6) return num(s * 1e9) + " ns";
  if (s < 1e-3) return num(s * 1e6) + " us";
  return num(s * 1e3) + " ms";
}

void print_csv(const AreaOptions& o, const ArchParams& a, const area::AreaReport& r) {
  if (o.csv_header) {
    std::cout << "arch,tech,rows,cols,precision,wsram_kb,wsram_banks,act_kb,area_mm2";
    for (const auto& n : area::area_component_names()) std::cout << "," << n << "_mm2";
    std::cout << "\n";
  }
  std::cout << a.name << "," << r.node << "," << a.rows << "," << a.cols << "," << a.precision << ","
            << a.wsram_bytes / 1024 << "," << a.wsram_banks << "," << a.act_bytes / 1024 << "," << num(r.area_mm2, 6);
  for (const auto& n : area::area_component_names()) std::cout << "," << num(r.components_mm2.at(n), 6);
  std::cout << "\n";
}

void run_area(const AreaOptions& o) {
  const ArchParams arch = load_arch(o.arch, o.sets);
  const std::string tech = o.tech.empty() ? arch.technology : o.tech;
  const area::AreaTable t = area::load_area_table(tech);
  const energy::EnergyTable e = energy::load_energy_table(tech);
  const area::AreaReport r = area::area_of(arch, t);
  const area::GatingModel g = area::gating_model(arch, t, e, true);
  const area::GatingModel free = area::gating_model(arch, t, e, false);
  if (o.csv) return print_csv(o, arch, r);
  if (o.json) {
    nlohmann::json j = r.to_json();
    j["arch"] = arch.name;
    j["power_gating"] = g.to_json();
    for (const auto& s : area::area_schema()) {
      const std::string id = std::string(s.group) + "." + s.key;
      j["entries"][id] = {{"value", t.at(id)}, {"source", t.source_of(id)}};
    }
    for (const auto& [id, m] : t.rtl.modules) j["rtl_gates"][id] = {{"nand2", m.nand2}, {"what", m.what}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "area table " << t.node << " (" << t.origin << ")\n" << t.description << "\n"
            << "tags: [P] published, [T] our CACTI 7.0 run, [D] derived, [R] recalled/unverified, [J] judgment\n\n";
  for (const auto& s : area::area_schema()) {
    const std::string id = std::string(s.group) + "." + s.key;
    std::cout << std::left << std::setw(36) << id << std::right << std::setw(9) << num(t.at(id)) << "  "
              << t.source_of(id) << "\n";
  }
  std::cout << "sram.area (" << t.sram_area.size() << " points): " << t.sram_area_source << "\n";
  std::cout << "\nRTL gate counts (" << t.rtl.origin << ", " << t.rtl.tool << "; cells: " << t.rtl.cells_source << "):\n";
  const double um2 = t.at("logic.um2_per_nand2");
  for (const auto& [id, m] : t.rtl.modules)
    std::cout << "  " << std::left << std::setw(18) << id << std::right << std::setw(9) << num(m.nand2, 6)
              << " NAND2 = " << std::setw(8) << num(m.nand2 * um2, 5) << " um2 cells at " << t.node << "  ("
              << m.what << ")\n";
  std::cout << "\n";
  print_area_breakdown(std::cout, arch, r);
  std::cout << "\npower gating (gated state per the arch's weight_sram.gating; PE columns are switched off):\n";
  for (std::size_t i = 0; i < g.units.size(); ++i) {
    const auto& u = g.units[i];
    std::cout << "  " << u.name << " x" << u.count << " (" << u.gated_state << "): area " << num(u.area_um2, 5)
              << " um2, switch " << num(u.switch_area_um2, 4) << " um2, " << u.isolation_cells << " isolation cells ("
              << num(u.isolation_area_um2, 4) << " um2); leakage " << num(u.on_leakage_w * 1e6) << " uW on, "
              << num(u.gated_leakage_w * 1e6) << " uW gated; wake " << num(u.wake_j * 1e12) << " pJ, "
              << duration(u.wake_s) << (u.reload_bytes ? " (reloads " + std::to_string(u.reload_bytes) + " bytes)" : "")
              << "\n    break-even idle time " << duration(u.break_even_s) << " (priced free: "
              << duration(free.units[i].break_even_s) << "): gating pays off for idle periods longer than that\n";
  }
  std::cout << "  always on while idle (controller, post-processing, activation buffers, accumulator): "
            << num(g.always_on_leakage_w * 1e6) << " uW\n";
}

}  // namespace

void add_area_command(CommandLine& cl) {
  auto o = std::make_shared<AreaOptions>();
  Command cmd = cl.add("area", "Print the area table with sources, an arch's area breakdown and power-gating break-even times");
  std::string shipped;
  for (const auto& n : area::builtin_area_table_names()) shipped += (shipped.empty() ? "" : ", ") + n;
  cmd.option("--tech", o->tech, "Technology node (shipped: " + shipped + ") or a YAML path; default: the arch's technology");
  cmd.option("--arch", o->arch, "Architecture (YAML path or shipped name)").show_default();
  cmd.option("--set", o->sets, "Override an arch field: path=value (repeatable)");
  cmd.flag("--json", o->json, "Print the breakdown, table and power-gating model as JSON");
  cmd.flag("--csv", o->csv, "Print one CSV row (with header) of the breakdown: for scaling tables");
  cmd.flag("--no-header", o->no_header, "--csv: omit the header line");
  cmd.action([o] {
    o->csv_header = !o->no_header;
    run_area(*o);
  });
}

}  // namespace rcsim::cli
