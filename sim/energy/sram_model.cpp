#include "energy/sram_model.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.h"
#include "energy/sram_interpolation.h"

namespace rcsim::energy {

SramMacroEnergy sram_macro_energy(const EnergyTable& t, std::int64_t bytes, int word_bits) {
  if (bytes <= 0 || word_bits <= 0)
    throw InputError("SRAM macro of " + std::to_string(bytes) + " bytes with " +
                     std::to_string(word_bits) + "-bit words: size and word width must be > 0");
  if (t.sram_access.empty() || t.sram_leakage.empty())
    throw InternalError("energy table " + t.origin + " has no SRAM points");
  const double kb = double(bytes) / 1024.0;
  std::vector<SramPoint> rd, wr;
  for (const auto& p : t.sram_access) {
    rd.push_back({p.capacity_kb, p.word_bits, p.read_pj});
    wr.push_back({p.capacity_kb, p.word_bits, p.write_pj});
  }
  std::vector<std::pair<double, double>> lk;
  for (const auto& p : t.sram_leakage) lk.push_back({p.capacity_kb, p.uw_per_kb});
  std::sort(lk.begin(), lk.end());
  SramMacroEnergy e;
  e.read_pj = sram_interpolate(rd, kb, word_bits);
  e.write_pj = sram_interpolate(wr, kb, word_bits);
  e.leakage_uw = loglog(lk, kb) * kb;
  return e;
}

}  // namespace rcsim::energy
