// CIFAR-10 binary batch (test_batch.bin in --data-dir).
#include "fuzz_util.h"
#include "host/dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rcsim::fuzz::write_scratch("test_batch.bin", data, size);
  rcsim::fuzz::run_reader([&] { rcsim::load_cifar10(rcsim::fuzz::scratch_dir(), rcsim::Split::Test); });
  return 0;
}
