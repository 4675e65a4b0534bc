#include "cli/area_breakdown.h"

#include <iomanip>
#include <sstream>

namespace rcsim::cli {

namespace {
std::string num(double v, int precision = 4) {
  std::ostringstream s;
  s << std::setprecision(precision) << v;
  return s.str();
}
}  // namespace

void print_area_breakdown(std::ostream& os, const ArchParams& arch, const area::AreaReport& r) {
  os << "area of arch '" << arch.name << "' at " << r.node << " (" << arch.rows << "x" << arch.cols << " "
     << arch.precision << "-bit PEs, weight SRAM " << arch.wsram_bytes / 1024 << " KB in " << arch.wsram_banks
     << " banks, activation buffer " << arch.act_bytes / 1024 << " KB):\n";
  for (const auto& n : area::area_component_names()) {
    const double mm2 = r.components_mm2.at(n);
    os << "  " << std::left << std::setw(13) << n << std::right << std::setw(9) << num(mm2) << " mm2 " << std::setw(6)
       << num(100 * mm2 / r.area_mm2, 3) << " %   " << r.basis.at(n) << "\n";
  }
  os << "  " << std::left << std::setw(13) << "total" << std::right << std::setw(9) << num(r.area_mm2)
     << " mm2   (DRAM PHY/controller not included: no sourced figure)\n";
}

}  // namespace rcsim::cli
