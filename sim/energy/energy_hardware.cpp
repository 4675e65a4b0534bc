#include "energy/energy_hardware.h"

#include "core/errors.h"

namespace rcsim::energy {

void EnergyHardware::validate() const {
  auto fail = [](const std::string& field, const std::string& why) {
    throw InputError("energy hardware: " + field + ": " + why);
  };
  if (array_rows <= 0 || array_cols <= 0) fail("array_rows/array_cols", "must be > 0");
  if (precision_bits != 8 && precision_bits != 16) fail("precision_bits", "must be 8 or 16");
  if (psum_bits <= 0) fail("psum_bits", "must be > 0");
  if (!(clock_hz > 0)) fail("clock_hz", "must be > 0");
  if (wsram_banks <= 0 || wsram_bank_bytes <= 0 || wsram_word_bits <= 0)
    fail("wsram_banks/wsram_bank_bytes/wsram_word_bits", "must be > 0");
  if (act_buffers <= 0 || act_buffer_bytes <= 0 || act_word_bits <= 0)
    fail("act_buffers/act_buffer_bytes/act_word_bits", "must be > 0");
  if (accum_bytes <= 0 || accum_word_bits <= 0) fail("accum_bytes/accum_word_bits", "must be > 0");
  if (dram != "lpddr4" && dram != "ddr4" && dram != "ddr3" && dram != "horowitz")
    fail("dram", "unknown DRAM type '" + dram + "' (expected lpddr4, ddr4, ddr3 or horowitz)");
  if (!(dram_bytes_per_cycle > 0)) fail("dram_bytes_per_cycle", "must be > 0");
}

std::string EnergyHardware::mac_entry() const {
  return precision_bits == 16 ? "pe.mac_int16_pj" : "pe.mac_int8_pj";
}

std::string EnergyHardware::pe_leakage_entry() const {
  return precision_bits == 16 ? "pe.leakage_int16_uw" : "pe.leakage_int8_uw";
}

}  // namespace rcsim::energy
