// IDX (MNIST family): the raw parser, and the same bytes read as a Fashion-MNIST .gz file (zlib
// passes plain bytes through; gzip seeds exercise inflation, bounded by the IDX header).
#include "fuzz_util.h"
#include "host/idx_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rcsim::fuzz::run_reader([&] { rcsim::parse_idx(std::vector<std::uint8_t>(data, data + size), "fuzz.idx"); });
  const std::string path = rcsim::fuzz::write_scratch("fuzz-idx.gz", data, size);
  rcsim::fuzz::run_reader([&] { rcsim::read_idx_gz(path); });
  return 0;
}
