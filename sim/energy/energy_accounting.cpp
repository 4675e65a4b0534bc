#include "energy/energy_accounting.h"

#include <nlohmann/json.hpp>
#include <string>

#include <map>
#include <memory>
#include <mutex>

#include "core/errors.h"
#include "dram/dram_energy.h"
#include "energy/counter_charges.h"
#include "energy/sram_model.h"

namespace rcsim::energy {

namespace {

constexpr double kPj = 1e-12;
constexpr double kUw = 1e-6;

void check_bank_vector(const std::vector<std::int64_t>& v, const LayerCounters& c,
                       const EnergyHardware& hw, const char* name, bool may_be_empty) {
  if (v.empty() && may_be_empty) return;
  if (static_cast<int>(v.size()) != hw.wsram_banks)
    throw InputError("layer '" + c.layer + "': " + name + " has " + std::to_string(v.size()) +
                     " entries, the hardware has " + std::to_string(hw.wsram_banks) + " weight-SRAM banks");
}

std::int64_t at_or_zero(const std::vector<std::int64_t>& v, std::size_t i) {
  return i < v.size() ? v[i] : 0;
}

/// DRAM presets by name, loaded once (the accounting runs per layer).
const dram::DramConfig& dram_config(const std::string& name) {
  static std::mutex m;
  static std::map<std::string, std::unique_ptr<dram::DramConfig>> cache;
  std::lock_guard<std::mutex> lock(m);
  auto& slot = cache[name];
  if (!slot) slot = std::make_unique<dram::DramConfig>(dram::load_dram_config(name));
  return *slot;
}

}  // namespace

LayerEnergy account_layer(const EnergyTable& t, const EnergyHardware& hw, const LayerCounters& c) {
  check_bank_vector(c.wsram_reads, c, hw, "wsram_reads", true);
  check_bank_vector(c.wsram_writes, c, hw, "wsram_writes", true);
  check_bank_vector(c.bank_active_cycles, c, hw, "bank_active_cycles", false);
  check_bank_vector(c.bank_retention_cycles, c, hw, "bank_retention_cycles", false);
  check_bank_vector(c.bank_off_cycles, c, hw, "bank_off_cycles", false);
  for (int b = 0; b < hw.wsram_banks; ++b) {
    const std::int64_t sum = c.bank_active_cycles[b] + c.bank_retention_cycles[b] + c.bank_off_cycles[b];
    if (sum != c.cycles)
      throw InputError("layer '" + c.layer + "': weight-SRAM bank " + std::to_string(b) +
                       " active + retention + off cycles = " + std::to_string(sum) + ", layer has " +
                       std::to_string(c.cycles) + " cycles");
  }

  LayerEnergy e;
  e.layer = c.layer;
  e.cycles = c.cycles;
  e.time_s = double(c.cycles) / hw.clock_hz;
  for (const auto& n : component_names()) e.components[n] = {};
  const double f_active = t.at("leakage_state.active_factor");
  const double to_s = 1.0 / hw.clock_hz;  // one cycle in seconds

  // PE array: MACs, idle and gated PE-cycles, stationary-operand register writes; leakage per PE-cycle.
  {
    const double mac = t.at(hw.mac_entry());
    const double leak_w = t.at(hw.pe_leakage_entry()) * kUw;
    auto& pe = e.components["pe_array"];
    pe.dynamic_j = (double(c.pe_active_cycles) * mac + double(c.pe_idle_cycles) * mac * t.at("pe.idle_fraction") +
                    double(c.pe_gated_cycles) * mac * t.at("pe.gated_fraction") +
                    double(c.pe_weight_loads) * hw.precision_bits * t.at("pe.register_pj_per_bit")) * kPj;
    pe.static_j = leak_w * to_s *
                  (double(c.pe_active_cycles + c.pe_idle_cycles) * f_active +
                   double(c.pe_gated_cycles) * t.at("leakage_state.clock_gated_factor"));
  }
  // Links between neighbouring PEs: operands at precision_bits, partial sums at psum_bits.
  e.components["array_links"].dynamic_j =
      (double(c.link_operand_transfers) * hw.precision_bits + double(c.link_psum_transfers) * hw.psum_bits) *
      t.at("array.link_pj_per_bit") * kPj;
  // Weight SRAM: per-bank accesses; per-bank leakage in each power state.
  {
    const SramMacroEnergy bank = sram_macro_energy(t, hw.wsram_bank_bytes, hw.wsram_word_bits);
    auto& ws = e.components["weight_sram"];
    for (int b = 0; b < hw.wsram_banks; ++b) {
      ws.dynamic_j += (double(at_or_zero(c.wsram_reads, b)) * bank.read_pj +
                       double(at_or_zero(c.wsram_writes, b)) * bank.write_pj) * kPj;
      ws.static_j += bank.leakage_uw * kUw * to_s *
                     (double(c.bank_active_cycles[b]) * f_active +
                      double(c.bank_retention_cycles[b]) * t.at("leakage_state.retention_factor") +
                      double(c.bank_off_cycles[b]) * t.at("leakage_state.off_factor"));
    }
  }
  // Activation buffers (ping-pong): accesses; all buffers leak for the whole layer.
  {
    const SramMacroEnergy buf = sram_macro_energy(t, hw.act_buffer_bytes, hw.act_word_bits);
    auto& ab = e.components["act_buffer"];
    ab.dynamic_j = (double(c.act_reads) * buf.read_pj + double(c.act_writes) * buf.write_pj) * kPj;
    ab.static_j = hw.act_buffers * buf.leakage_uw * kUw * e.time_s * f_active;
  }
  // Partial-sum accumulator SRAM: accesses; leaks for the whole layer.
  {
    const SramMacroEnergy acc = sram_macro_energy(t, hw.accum_bytes, hw.accum_word_bits);
    auto& ac = e.components["accumulator"];
    ac.dynamic_j = (double(c.accum_reads) * acc.read_pj + double(c.accum_writes) * acc.write_pj) * kPj;
    ac.static_j = acc.leakage_uw * kUw * e.time_s * f_active;
  }
  // DRAM: the device model's energy (sim/dram, DRAMPower's formulas with the preset's currents)
  // of the commands issued and the rank-cycles spent per power state during the layer: commands
  // are dynamic, the background static. Counters without DRAM commands but with bytes (written
  // by hand or by an older rcsim) are charged per bit moved from the energy table.
  {
    auto& dr = e.components["dram"];
    const bool modelled = c.dram_read_bursts + c.dram_write_bursts + c.dram_refreshes + c.dram_active_standby_cycles +
                              c.dram_precharge_standby_cycles + c.dram_active_powerdown_cycles +
                              c.dram_precharge_powerdown_cycles + c.dram_self_refresh_cycles > 0;
    if (modelled) {
      dram::DramStats st;
      st.activates = c.dram_activates, st.precharges = c.dram_precharges;
      st.reads = c.dram_read_bursts, st.writes = c.dram_write_bursts, st.refreshes = c.dram_refreshes;
      st.active_standby_cycles = c.dram_active_standby_cycles;
      st.precharge_standby_cycles = c.dram_precharge_standby_cycles;
      st.active_powerdown_cycles = c.dram_active_powerdown_cycles;
      st.precharge_powerdown_cycles = c.dram_precharge_powerdown_cycles;
      st.self_refresh_cycles = c.dram_self_refresh_cycles;
      const dram::DramEnergy de = dram::dram_energy(dram_config(hw.dram_device), st);
      dr.dynamic_j = de.command_j();
      dr.static_j = de.background_j();
    } else {
      dr.dynamic_j = double(c.dram_read_bytes + c.dram_write_bytes) * 8.0 * t.at(hw.dram_entry()) * kPj;
    }
  }
  // Post-processing: requantizations, pool compares/adds/divides, element-wise adds and per-channel
  // multiplies; one lane per array column leaks.
  {
    auto& pp = e.components["postproc"];
    pp.dynamic_j = (double(c.postproc_ops) * t.at("postproc.requant_pj") +
                    double(c.pool_compares) * t.at("postproc.pool_compare_pj") +
                    double(c.pool_adds) * t.at("postproc.add_pj") + double(c.pool_divides) * t.at("postproc.divide_pj") +
                    double(c.eltwise_adds) * t.at("postproc.eltwise_add_pj") +
                    double(c.postproc_mults) * t.at("postproc.mult_pj")) * kPj;
    pp.static_j = hw.array_cols * t.at("postproc.lane_leakage_uw") * kUw * e.time_s * f_active;
  }
  // Controller.
  {
    auto& ct = e.components["controller"];
    ct.dynamic_j = double(c.controller_cycles) * t.at("controller.pj_per_cycle") * kPj;
    ct.static_j = t.at("controller.leakage_uw") * kUw * e.time_s * f_active;
  }
  for (const auto& [name, ce] : e.components) {
    e.dynamic_j += ce.dynamic_j;
    e.static_j += ce.static_j;
  }
  e.energy_j = e.dynamic_j + e.static_j;
  return e;
}

EnergyReport account_energy(const EnergyTable& t, const EnergyHardware& hw,
                            const std::vector<LayerCounters>& layers) {
  hw.validate();
  EnergyReport r;
  r.tech = t.node;
  r.table_origin = t.origin;
  for (const auto& n : component_names()) {
    r.components[n] = {};
    r.energy_by_component_j[n] = 0;
  }
  for (const auto& c : layers) {
    LayerEnergy le = account_layer(t, hw, c);
    for (const auto& [name, ce] : le.components) {
      r.components[name].dynamic_j += ce.dynamic_j;
      r.components[name].static_j += ce.static_j;
      r.energy_by_component_j[name] += ce.total_j();
    }
    r.cycles += le.cycles;
    r.time_s += le.time_s;
    r.dynamic_j += le.dynamic_j;
    r.static_j += le.static_j;
    r.energy_by_layer_j.push_back(le.energy_j);
    r.layers.push_back(std::move(le));
  }
  r.energy_j = r.dynamic_j + r.static_j;
  r.avg_power_w = r.time_s > 0 ? r.energy_j / r.time_s : 0;
  r.edp_js = r.energy_j * r.time_s;
  // Provenance: the entries this hardware configuration actually uses.
  for (const auto& row : counter_charges())
    for (const char* id : row.entries) {
      const std::string s = id;
      if (s == "sram.access") r.sources[s] = t.sram_access_source;
      else if (s == "sram.leakage") r.sources[s] = t.sram_leakage_source;
      else if (s == "dram.preset")
        r.sources[s] = "DRAM preset '" + hw.dram_device +
                       "' (energy_models/dram; `rcsim dram --preset NAME --show` lists each current's source)";
      else if (s.rfind("dram.", 0) == 0 && s != hw.dram_entry()) continue;
      else if ((s == "pe.mac_int8_pj" || s == "pe.mac_int16_pj") && s != hw.mac_entry()) continue;
      else if ((s == "pe.leakage_int8_uw" || s == "pe.leakage_int16_uw") && s != hw.pe_leakage_entry()) continue;
      else r.sources[s] = t.source_of(s);
    }
  return r;
}

nlohmann::json EnergyReport::to_json() const {
  nlohmann::json j;
  j["energy_j"] = energy_j;
  j["dynamic_j"] = dynamic_j;
  j["static_j"] = static_j;
  j["avg_power_w"] = avg_power_w;
  j["edp_js"] = edp_js;
  j["time_s"] = time_s;
  j["cycles"] = cycles;
  j["energy_by_component_j"] = energy_by_component_j;
  j["energy_by_layer_j"] = energy_by_layer_j;
  nlohmann::json comps = nlohmann::json::object();
  for (const auto& [n, c] : components) comps[n] = {{"dynamic_j", c.dynamic_j}, {"static_j", c.static_j}};
  j["components"] = comps;
  nlohmann::json ls = nlohmann::json::array();
  for (const auto& l : layers) {
    nlohmann::json lj = {{"layer", l.layer}, {"cycles", l.cycles}, {"time_s", l.time_s},
                         {"energy_j", l.energy_j}, {"dynamic_j", l.dynamic_j}, {"static_j", l.static_j}};
    for (const auto& [n, c] : l.components) lj["energy_by_component_j"][n] = c.total_j();
    ls.push_back(lj);
  }
  j["layers"] = ls;
  j["table"] = {{"node", tech}, {"file", table_origin}, {"sources", sources}};
  return j;
}

}  // namespace rcsim::energy
