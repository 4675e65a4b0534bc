#include "area/power_gating.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "energy/arch_energy.h"
#include "energy/sram_model.h"

namespace rcsim::area {

namespace {

constexpr double kPj = 1e-12;
constexpr double kUw = 1e-6;
constexpr int kPsumBits = 32;  // a column's partial-sum output (rtl/pe.sv p_out)

double pe_nand2(const ArchParams& a, const AreaTable& t) {
  if (a.precision != 8 && a.precision != 16)
    throw InputError("area: no synthesized PE for precision " + std::to_string(a.precision) + " (8 or 16)");
  return t.rtl.nand2(a.precision == 8 ? "pe_int8" : "pe_int16");
}

// Area figures of the gated units, shared by the area report and the gating model.
struct UnitAreas {
  double bank_um2 = 0, column_um2 = 0;
  int bank_iso = 0, column_iso = 0;
  double iso_cell_um2 = 0;  // placed
  double f_switch = 0;
};

UnitAreas unit_areas(const ArchParams& a, const AreaTable& t) {
  const energy::EnergyHardware hw = energy::energy_hardware_of(a);
  const double um2 = t.at("logic.um2_per_nand2"), u = t.at("logic.utilization_fraction");
  UnitAreas r;
  r.bank_um2 = sram_macro_area_mm2(t, hw.wsram_bank_bytes, hw.wsram_word_bits) * 1e6;
  r.column_um2 = double(a.rows) * pe_nand2(a, t) * um2 / u;
  r.bank_iso = hw.wsram_word_bits + 1;  // read word + valid into the always-on array feed
  r.column_iso = kPsumBits + 1;         // partial sum + valid into the always-on post-processing
  r.iso_cell_um2 = t.at("power_gating.isolation_cell_nand2") * um2 / u;
  r.f_switch = t.at("power_gating.switch_area_fraction");
  return r;
}

}  // namespace

double break_even_s(double wake_j, double on_w, double gated_w) {
  for (double v : {wake_j, on_w, gated_w})
    if (!std::isfinite(v) || v < 0)
      throw InputError("break-even time: wake energy and leakage powers must be finite and >= 0");
  if (on_w <= gated_w) return std::numeric_limits<double>::infinity();
  return wake_j / (on_w - gated_w);
}

double GatingModel::switch_area_mm2() const {
  double s = 0;
  for (const auto& u : units) s += u.count * u.switch_area_um2;
  return s * 1e-6;
}

double GatingModel::isolation_area_mm2() const {
  double s = 0;
  for (const auto& u : units) s += u.count * u.isolation_area_um2;
  return s * 1e-6;
}

double power_gating_area_mm2(const ArchParams& a, const AreaTable& t) {
  const UnitAreas r = unit_areas(a, t);
  const double banks = a.wsram_banks, cols = a.cols;
  return (banks * (r.f_switch * r.bank_um2 + r.bank_iso * r.iso_cell_um2) +
          cols * (r.f_switch * r.column_um2 + r.column_iso * r.iso_cell_um2)) * 1e-6;
}

GatingModel gating_model(const ArchParams& a, const AreaTable& t, const energy::EnergyTable& e, bool with_overhead,
                         std::int64_t bank_used_bytes) {
  const energy::EnergyHardware hw = energy::energy_hardware_of(a);
  hw.validate();
  const UnitAreas r = unit_areas(a, t);
  const double f_cg = e.at("leakage_state.clock_gated_factor");
  GatingModel m;
  m.arch = a.name;
  m.node = t.node;
  m.overhead = with_overhead;

  // Weight-SRAM banks.
  {
    const energy::SramMacroEnergy bank = energy::sram_macro_energy(e, hw.wsram_bank_bytes, hw.wsram_word_bits);
    const bool off = a.gating == BankGating::Off;
    GatedUnit u;
    u.name = "weight_sram_bank";
    u.count = a.wsram_banks;
    u.gated_state = off ? "off" : "retention";
    u.area_um2 = r.bank_um2;
    u.on_leakage_w = bank.leakage_uw * kUw * f_cg;
    u.gated_leakage_w = bank.leakage_uw * kUw * e.at(off ? "leakage_state.off_factor" : "leakage_state.retention_factor");
    if (with_overhead) {
      u.switch_area_um2 = r.f_switch * r.bank_um2;
      u.isolation_cells = r.bank_iso;
      u.isolation_area_um2 = r.bank_iso * r.iso_cell_um2;
      const double kb = double(hw.wsram_bank_bytes) / 1024.0;
      if (!off) {
        u.wake_j = kb * e.at("sram.retention_wake_pj_per_kb") * kPj;
        u.wake_s = e.at("sram.retention_wake_cycles") / hw.clock_hz;
      } else {
        // Contents lost: power up, then reload the bank's weights from DRAM (reconfig_cost's rule).
        const std::int64_t bytes = bank_used_bytes < 0 ? hw.wsram_bank_bytes : std::min(bank_used_bytes, hw.wsram_bank_bytes);
        const std::int64_t writes = (bytes * 8 + hw.wsram_word_bits - 1) / hw.wsram_word_bits;
        u.reload_bytes = bytes;
        u.wake_j = (kb * e.at("sram.off_wake_pj_per_kb") + double(bytes) * 8.0 * e.at(hw.dram_entry()) +
                    double(writes) * bank.write_pj) * kPj;
        const double stream = std::ceil(double(bytes) / hw.dram_bytes_per_cycle);
        u.wake_s = e.at("sram.off_wake_ns") * 1e-9 + std::max(stream, double(writes)) / hw.clock_hz;
      }
    }
    u.break_even_s = break_even_s(u.wake_j, u.on_leakage_w, u.gated_leakage_w);
    m.units.push_back(u);
  }
  // PE-array columns: rows PEs each; no retained state.
  {
    const double pe_leak_w = e.at(hw.pe_leakage_entry()) * kUw;
    GatedUnit u;
    u.name = "pe_column";
    u.count = a.cols;
    u.gated_state = "off";
    u.area_um2 = r.column_um2;
    u.on_leakage_w = a.rows * pe_leak_w * f_cg;
    u.gated_leakage_w = a.rows * pe_leak_w * e.at("leakage_state.off_factor");
    if (with_overhead) {
      u.switch_area_um2 = r.f_switch * r.column_um2;
      u.isolation_cells = r.column_iso;
      u.isolation_area_um2 = r.column_iso * r.iso_cell_um2;
      u.wake_j = a.rows * pe_nand2(a, t) * t.at("power_gating.wake_pj_per_nand2") * kPj;
      u.wake_s = t.at("power_gating.logic_wake_ns") * 1e-9;
    }
    u.break_even_s = break_even_s(u.wake_j, u.on_leakage_w, u.gated_leakage_w);
    m.units.push_back(u);
  }
  // Never gated: controller, one post-processing lane per column, both activation-buffer halves,
  // the partial-sum accumulator.
  const double act = energy::sram_macro_energy(e, hw.act_buffer_bytes, hw.act_word_bits).leakage_uw;
  const double acc = energy::sram_macro_energy(e, hw.accum_bytes, hw.accum_word_bits).leakage_uw;
  m.always_on_leakage_w = (e.at("controller.leakage_uw") + a.cols * e.at("postproc.lane_leakage_uw") +
                           hw.act_buffers * act + acc) * kUw * f_cg;
  return m;
}

nlohmann::json GatingModel::to_json() const {
  nlohmann::json j;
  j["arch"] = arch;
  j["node"] = node;
  j["overhead"] = overhead;
  j["always_on_leakage_w"] = always_on_leakage_w;
  j["switch_area_mm2"] = switch_area_mm2();
  j["isolation_area_mm2"] = isolation_area_mm2();
  nlohmann::json us = nlohmann::json::array();
  for (const auto& u : units) {
    nlohmann::json uj = {{"name", u.name}, {"count", u.count}, {"gated_state", u.gated_state},
                         {"area_um2", u.area_um2}, {"switch_area_um2", u.switch_area_um2},
                         {"isolation_cells", u.isolation_cells}, {"isolation_area_um2", u.isolation_area_um2},
                         {"on_leakage_w", u.on_leakage_w}, {"gated_leakage_w", u.gated_leakage_w},
                         {"wake_j", u.wake_j}, {"wake_s", u.wake_s}, {"reload_bytes", u.reload_bytes}};
    // JSON has no infinity: a unit whose gating never pays gets null.
    if (std::isfinite(u.break_even_s)) uj["break_even_s"] = u.break_even_s;
    else uj["break_even_s"] = nullptr;
    us.push_back(uj);
  }
  j["units"] = us;
  return j;
}

}  // namespace rcsim::area
