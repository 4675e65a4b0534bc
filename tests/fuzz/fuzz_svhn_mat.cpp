// SVHN .mat (MAT v5, plain or zlib-compressed elements): the parser, then the SVHN loader.
#include "fuzz_util.h"
#include "host/dataset.h"
#include "host/mat_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rcsim::fuzz::run_reader([&] { rcsim::parse_mat(std::vector<std::uint8_t>(data, data + size), "fuzz.mat"); });
  rcsim::fuzz::write_scratch("test_32x32.mat", data, size);
  rcsim::fuzz::run_reader([&] { rcsim::load_svhn(rcsim::fuzz::scratch_dir(), rcsim::Split::Test); });
  return 0;
}
