#pragma once
// SRAM access energy and leakage for any macro size and word width, interpolated from the
// table's CACTI points by the rule of sram_interpolation.h (log-log in capacity per word width,
// then log-log in word width; a word narrower than the narrowest tabulated one costs that word's
// access). Leakage: per-KB points, log-log in capacity, × capacity.
#include <cstdint>

#include "energy/energy_table.h"

namespace rcsim::energy {

struct SramMacroEnergy {
  double read_pj = 0;     ///< per word read
  double write_pj = 0;    ///< per word write
  double leakage_uw = 0;  ///< whole macro, active state
};

/// Energy of one SRAM macro of `bytes` with `word_bits`-wide accesses. Throws InputError for a
/// non-positive size or word width.
SramMacroEnergy sram_macro_energy(const EnergyTable& t, std::int64_t bytes, int word_bits);

}  // namespace rcsim::energy
