#pragma once
// The sizes the energy model needs from an accelerator architecture, and nothing else. Filled
// from the accelerator's architecture params at integration time (one assignment per field);
// the energy model never includes accelerator code (it reads sim/core only).
#include <cstdint>
#include <string>

namespace rcsim::energy {

/// What happens to the weight-SRAM banks of width groups not used by the current configuration.
enum class GatingPolicy {
  Retention,  ///< drowsy: contents kept, leak retention_factor, wake in a few cycles
  Off,        ///< power-gated: contents lost, leak off_factor, reload from DRAM on widening
};

const char* to_string(GatingPolicy p);
/// "retention" | "off"; anything else is an InputError naming `field`.
GatingPolicy parse_gating_policy(const std::string& s, const std::string& field);

struct EnergyHardware {
  int array_rows = 16;
  int array_cols = 16;
  int precision_bits = 8;  ///< PE operand width: 8 or 16 (selects pe.mac_int8_pj / mac_int16_pj)
  int psum_bits = 32;      ///< width of a partial sum moving between PEs
  double clock_hz = 1e9;

  // Defaults mirror workloads/arch/default.yaml.
  int wsram_banks = 8;
  std::int64_t wsram_bank_bytes = 128 * 1024;  ///< each bank
  int wsram_word_bits = 128;

  int act_buffers = 2;                         ///< ping-pong halves
  std::int64_t act_buffer_bytes = 64 * 1024;   ///< each half
  int act_word_bits = 8;

  std::int64_t accum_bytes = 16 * 1024;  ///< partial-sum accumulator SRAM (not an arch field yet)
  int accum_word_bits = 32;

  std::string dram = "lpddr4";       ///< selects dram.<dram>_pj_per_bit: lpddr4|ddr4|ddr3|horowitz
  double dram_bytes_per_cycle = 16;  ///< bandwidth, for reload time on reconfiguration
  std::string tech = "45nm";         ///< energy table name or YAML path
  GatingPolicy gating = GatingPolicy::Retention;

  /// Throws InputError naming the first bad field ("energy hardware: precision_bits: ...").
  void validate() const;
  /// Table entry id of one DRAM bit, e.g. "dram.lpddr4_pj_per_bit".
  std::string dram_entry() const { return "dram." + dram + "_pj_per_bit"; }
  /// Table entry ids of this precision's MAC energy and PE leakage.
  std::string mac_entry() const;
  std::string pe_leakage_entry() const;
};

}  // namespace rcsim::energy
