// Energy table YAML (--tech FILE.yaml): parse, then dump (must load back).
#include "energy/energy_table.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rcsim::fuzz::run_reader([&] {
    const auto t = rcsim::energy::parse_energy_table(rcsim::fuzz::text(data, size), "fuzz.yaml");
    (void)rcsim::energy::dump_energy_table(t);
  });
  return 0;
}
