// `rcsim energy --tech 45nm`: the energy table in use, every entry with its source, the SRAM
// energies interpolated for an architecture's SRAMs, and which counter each entry is charged to.
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "energy/arch_energy.h"
#include "energy/counter_charges.h"
#include "energy/energy_hardware.h"
#include "energy/energy_table.h"
#include "energy/energy_table_json.h"
#include "energy/sram_model.h"
#include "core/arch_params.h"

namespace rcsim::cli {

namespace {

struct EnergyOptions {
  std::string tech;  // "" = the arch's technology
  std::string arch = "default";
  std::vector<std::string> sets;
  bool json = false;
  bool dump = false;
  bool counters = false;
};

std::string num(double v) {
  std::ostringstream s;
  s << std::setprecision(4) << v;
  return s.str();
}

void print_sram(const energy::EnergyTable& t, const std::string& what, std::int64_t bytes, int word_bits) {
  const auto e = energy::sram_macro_energy(t, bytes, word_bits);
  std::cout << "  " << std::left << std::setw(34) << what << std::right << std::setw(8) << bytes / 1024
            << " KB x" << std::setw(4) << word_bits << " b: read " << std::setw(7) << num(e.read_pj)
            << " pJ, write " << std::setw(7) << num(e.write_pj) << " pJ, leakage " << std::setw(8)
            << num(e.leakage_uw) << " uW\n";
}

void run_energy(const EnergyOptions& o) {
  const ArchParams arch = load_arch(o.arch, o.sets);
  const energy::EnergyTable t = energy::load_energy_table(o.tech.empty() ? arch.technology : o.tech);
  if (o.dump) {
    std::cout << energy::dump_energy_table(t);
    return;
  }
  if (o.json) {
    std::cout << energy::energy_table_json(t).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  std::cout << "energy table " << t.node << " (" << t.origin << "), " << t.voltage_v << " V\n"
            << t.description << "\n"
            << "tags: [P] published, [T] our CACTI 7.0 run, [D] derived, [R] recalled/unverified, [J] judgment\n\n";
  for (const auto& s : energy::table_schema()) {
    const std::string id = std::string(s.group) + "." + s.key;
    std::cout << std::left << std::setw(38) << id << std::right << std::setw(9) << num(t.at(id)) << "  "
              << t.source_of(id) << "\n";
  }
  std::cout << "\nsram.access (" << t.sram_access.size() << " points): " << t.sram_access_source << "\n";
  std::cout << "sram.leakage (" << t.sram_leakage.size() << " points): " << t.sram_leakage_source << "\n";
  std::cout << "\nSRAM interpolated (log-log in capacity, then in word width) for arch '" << arch.name << "':\n";
  const energy::EnergyHardware hw = energy::energy_hardware_of(arch);
  print_sram(t, "weight-SRAM bank", hw.wsram_bank_bytes, hw.wsram_word_bits);
  print_sram(t, "activation buffer (each half)", hw.act_buffer_bytes, hw.act_word_bits);
  print_sram(t, "partial-sum accumulator", hw.accum_bytes, hw.accum_word_bits);
  if (o.counters) {
    std::cout << "\ncounter -> component: rule\n";
    for (const auto& r : energy::counter_charges())
      std::cout << "  " << std::left << std::setw(24) << r.counter << std::setw(13) << r.component << r.rule << "\n";
  }
}

}  // namespace

void add_energy_command(CommandLine& cl) {
  auto opts = std::make_shared<EnergyOptions>();
  Command cmd = cl.add("energy", "Print the energy table in use, with every entry's source");
  std::string shipped;
  for (const auto& n : energy::builtin_energy_table_names()) shipped += (shipped.empty() ? "" : ", ") + n;
  cmd.option("--tech", opts->tech,
                  "Technology node (shipped: " + shipped + ") or a YAML path; default: the arch's technology");
  cmd.option("--arch", opts->arch, "Architecture whose SRAM sizes are shown (YAML path or shipped name)")
      .show_default();
  cmd.option("--set", opts->sets, "Override an arch field: path=value (repeatable)");
  cmd.flag("--json", opts->json, "Print the table as JSON");
  cmd.flag("--dump", opts->dump, "Print the table as YAML (loads back to an equal table)");
  cmd.flag("--counters", opts->counters, "Also print which counter each entry is charged to");
  cmd.action([opts] { run_energy(*opts); });
}

}  // namespace rcsim::cli
