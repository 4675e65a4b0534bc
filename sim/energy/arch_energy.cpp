#include "energy/arch_energy.h"

namespace rcsim::energy {

EnergyHardware energy_hardware_of(const ArchParams& a) {
  EnergyHardware hw;
  hw.array_rows = a.rows;
  hw.array_cols = a.cols;
  hw.precision_bits = a.precision;
  hw.clock_hz = a.clock_hz;
  hw.wsram_banks = a.wsram_banks;
  hw.wsram_bank_bytes = a.wsram_bytes / a.wsram_banks;
  hw.wsram_word_bits = a.wsram_word_bits;
  hw.act_buffers = 2;  // ping-pong halves of act_buffer.size_bytes
  hw.act_buffer_bytes = a.act_bytes / 2;
  hw.act_word_bits = a.act_word_bits;
  hw.dram_bytes_per_cycle = a.dram_bytes_per_cycle;
  hw.dram_device = a.dram_type;
  hw.tech = a.technology;
  hw.gating = a.gating;
  return hw;
}

}  // namespace rcsim::energy
