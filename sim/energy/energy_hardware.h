#pragma once
// The sizes the energy model needs from an accelerator architecture, and nothing else. Filled
// from the accelerator's architecture params at integration time (one assignment per field);
// the energy model never includes accelerator code (it reads sim/core only).
#include <cstdint>
#include <string>

#include "core/arch_params.h"

namespace rcsim::energy {

namespace detail {
/// The default architecture: ArchParams' defaults (= workloads/arch/default.yaml).
inline const ArchParams& default_arch() {
  static const ArchParams a;
  return a;
}
}  // namespace detail

// Fields taken from the architecture default to what energy_hardware_of(ArchParams{}) gives
// (tests/unit/test_energy_accounting.cpp checks), so the two cannot drift apart.
struct EnergyHardware {
  int array_rows = detail::default_arch().rows;
  int array_cols = detail::default_arch().cols;
  int precision_bits = detail::default_arch().precision;  ///< 8 or 16: selects pe.mac_int8_pj / mac_int16_pj
  int psum_bits = 32;  ///< width of a partial sum moving between PEs
  double clock_hz = detail::default_arch().clock_hz;

  int wsram_banks = detail::default_arch().wsram_banks;
  std::int64_t wsram_bank_bytes = detail::default_arch().wsram_bytes / wsram_banks;  ///< each bank
  int wsram_word_bits = detail::default_arch().wsram_word_bits;

  int act_buffers = 2;  ///< ping-pong halves
  std::int64_t act_buffer_bytes = detail::default_arch().act_bytes / act_buffers;  ///< each half
  int act_word_bits = detail::default_arch().act_word_bits;

  std::int64_t accum_bytes = 16 * 1024;  ///< partial-sum accumulator SRAM (not an arch field yet)
  int accum_word_bits = 32;

  std::string dram = "lpddr4";  ///< selects dram.<dram>_pj_per_bit: lpddr4|ddr4|ddr3|horowitz (reconfiguration reloads)
  /// DRAM preset (energy_models/dram) whose currents price the DRAM commands and rank-cycles counted.
  std::string dram_device = detail::default_arch().dram_type;
  /// Bandwidth, for the reload time on reconfiguration.
  double dram_bytes_per_cycle = detail::default_arch().dram_bytes_per_cycle;
  std::string tech = detail::default_arch().technology;  ///< energy table name or YAML path
  BankGating gating = detail::default_arch().gating;     ///< state of inactive groups' banks

  /// Throws InputError naming the first bad field ("energy hardware: precision_bits: ...").
  void validate() const;
  /// Table entry id of one DRAM bit, e.g. "dram.lpddr4_pj_per_bit".
  std::string dram_entry() const { return "dram." + dram + "_pj_per_bit"; }
  /// Table entry ids of this precision's MAC energy and PE leakage.
  std::string mac_entry() const;
  std::string pe_leakage_entry() const;
};

}  // namespace rcsim::energy
