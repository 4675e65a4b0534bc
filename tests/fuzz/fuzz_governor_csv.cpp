// Governor inputs: the request trace CSV (--trace) and the per-width table CSV (--table).
#include "fuzz_util.h"
#include "sweep/governor.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = rcsim::fuzz::write_scratch("trace.csv", data, size);
  rcsim::fuzz::run_reader([&] { rcsim::sweep::load_trace(path); });
  rcsim::fuzz::run_reader([&] { rcsim::sweep::load_width_table(path); });
  return 0;
}
