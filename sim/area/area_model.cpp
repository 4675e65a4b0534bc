#include "area/area_model.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "area/power_gating.h"
#include "core/errors.h"
#include "energy/arch_energy.h"

namespace rcsim::area {

namespace {

std::string g4(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

const std::vector<std::string>& area_component_names() {
  static const std::vector<std::string> n = {"pe_array", "array_wiring", "weight_sram", "act_buffer",
                                             "accumulator", "postproc", "controller", "power_gating"};
  return n;
}

AreaReport area_of(const ArchParams& a, const AreaTable& t) {
  if (a.precision != 8 && a.precision != 16)
    throw InputError("area: no synthesized PE for precision " + std::to_string(a.precision) + " (8 or 16)");
  const energy::EnergyHardware hw = energy::energy_hardware_of(a);
  hw.validate();
  const double um2 = t.at("logic.um2_per_nand2"), u = t.at("logic.utilization_fraction");
  const std::string bits = a.precision == 8 ? "int8" : "int16";
  AreaReport r;
  r.arch = a.name;
  r.node = t.node;
  r.table_origin = t.origin;
  r.rtl_origin = t.rtl.origin;
  r.rtl_tool = t.rtl.tool;
  // The output-stationary array is built from its own PE (rtl/pe_os.sv: an accumulator and a
  // hand-out register instead of weight buffers); ws and is share rtl/pe.sv (is runs the WS
  // array with the operands swapped).
  const bool os = a.dataflow == Dataflow::OS;
  r.pe_nand2 = t.rtl.nand2(std::string(os ? "pe_os_" : "pe_") + bits);
  r.pe_um2 = r.pe_nand2 * um2;
  const double pes = double(a.rows) * a.cols;
  auto& c = r.components_mm2;
  c["pe_array"] = pes * r.pe_um2 * 1e-6;
  r.basis["pe_array"] = std::to_string(a.rows) + "x" + std::to_string(a.cols) + " PEs x " + g4(r.pe_nand2) +
                        " NAND2 (" + (os ? "rtl/pe_os.sv" : "rtl/pe.sv") + ", " + bits + ") x " + g4(um2) + " um2";
  c["array_wiring"] = c["pe_array"] * (1.0 / u - 1.0);
  r.basis["array_wiring"] = "PE cells x (1/" + g4(u) + " - 1): routing and whitespace at utilization " + g4(u);
  const double bank = sram_macro_area_mm2(t, hw.wsram_bank_bytes, hw.wsram_word_bits);
  c["weight_sram"] = hw.wsram_banks * bank;
  r.basis["weight_sram"] = std::to_string(hw.wsram_banks) + " banks x " + g4(bank) + " mm2 (CACTI, " +
                           std::to_string(hw.wsram_bank_bytes / 1024) + " KB x " + std::to_string(hw.wsram_word_bits) + " b)";
  const double half = sram_macro_area_mm2(t, hw.act_buffer_bytes, hw.act_word_bits);
  c["act_buffer"] = hw.act_buffers * half;
  r.basis["act_buffer"] = std::to_string(hw.act_buffers) + " halves x " + g4(half) + " mm2 (CACTI, " +
                          std::to_string(hw.act_buffer_bytes / 1024) + " KB x " + std::to_string(hw.act_word_bits) +
                          " b, charged as the narrowest tabulated word)";
  c["accumulator"] = sram_macro_area_mm2(t, hw.accum_bytes, hw.accum_word_bits);
  r.basis["accumulator"] = "CACTI, " + std::to_string(hw.accum_bytes / 1024) + " KB x " +
                           std::to_string(hw.accum_word_bits) + " b (charged as the narrowest tabulated word)";
  const double lane = t.rtl.nand2("requant_" + bits);
  c["postproc"] = a.cols * lane * um2 / u * 1e-6;
  r.basis["postproc"] = std::to_string(a.cols) + " lanes x " + g4(lane) + " NAND2 (rtl/requant.sv) / " + g4(u);
  const double ctrl = t.rtl.nand2("controller_proxy");
  c["controller"] = ctrl * um2 / u * 1e-6;
  r.basis["controller"] = g4(ctrl) + " NAND2 (controller proxy, rtl/synth/synth_area.py) / " + g4(u);
  c["power_gating"] = power_gating_area_mm2(a, t);
  r.basis["power_gating"] = "sleep switches (" + g4(t.at("power_gating.switch_area_fraction")) +
                            " x gated area) + isolation cells of " + std::to_string(hw.wsram_banks) + " banks and " +
                            std::to_string(a.cols) + " PE columns";
  for (const auto& n : area_component_names()) r.area_mm2 += c.at(n);
  for (const auto& s : area_schema()) {
    const std::string id = std::string(s.group) + "." + s.key;
    r.sources[id] = t.source_of(id);
  }
  r.sources["sram.area"] = t.sram_area_source;
  r.sources["rtl_gates"] = t.rtl.cells_source + "; " + t.rtl.tool;
  return r;
}

nlohmann::json AreaReport::to_json() const {
  nlohmann::json j;
  j["area_mm2"] = area_mm2;
  nlohmann::json comps = nlohmann::json::object();
  for (const auto& n : area_component_names()) comps[n] = components_mm2.at(n);
  j["area_by_component_mm2"] = comps;
  j["pe_um2"] = pe_um2;
  j["pe_nand2"] = pe_nand2;
  j["area_table"] = {{"node", node}, {"file", table_origin}, {"rtl_gates", rtl_origin}, {"rtl_tool", rtl_tool},
                     {"sources", sources}};
  return j;
}

}  // namespace rcsim::area
