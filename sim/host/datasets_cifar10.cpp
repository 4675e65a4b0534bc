// CIFAR-10 binary version (cifar-10-batches-bin).
#include <filesystem>

#include "core/errors.h"
#include "host/binary_file.h"
#include "host/dataset.h"

namespace rcsim {

namespace {
constexpr std::size_t kImage = 3 * 32 * 32;
constexpr std::size_t kRecord = 1 + kImage;

void append_batch(const std::string& path, Dataset& ds) {
  const std::vector<std::uint8_t> bytes = read_binary_file(path);
  if (bytes.empty() || bytes.size() % kRecord != 0)
    throw InputError(path + ": size " + std::to_string(bytes.size()) + " bytes is not a positive multiple of the 3073-byte CIFAR-10 record" +
                     (bytes.size() % kRecord != 0 ? " (truncated file?)" : ""));
  const std::size_t n = bytes.size() / kRecord;
  const std::size_t base = ds.pixels.size();
  ds.pixels.resize(base + n * kImage);
  for (std::size_t r = 0; r < n; ++r) {
    const std::uint8_t* rec = bytes.data() + r * kRecord;
    if (rec[0] >= 10) throw InputError(path + ": record " + std::to_string(r) + " has label " + std::to_string(rec[0]) + " (expected 0..9)");
    ds.labels.push_back(rec[0]);
    // The file's R, G, B planes of 32×32 row-major bytes are already CHW.
    float* dst = ds.pixels.data() + base + r * kImage;
    for (std::size_t i = 0; i < kImage; ++i) dst[i] = rec[1 + i] / 255.0f;
  }
}
}  // namespace

Dataset load_cifar10(const std::string& dir_arg, Split split) {
  const std::string dir = dir_arg.empty() ? default_data_dir() + "/cifar10" : dir_arg;
  Dataset ds;
  ds.name = "cifar10";
  ds.shape = Shape3{3, 32, 32};
  ds.num_classes = 10;
  if (split == Split::Test) {
    append_batch(dir + "/test_batch.bin", ds);
    return ds;
  }
  for (int b = 1; b <= 5; ++b) {
    const std::string path = dir + "/data_batch_" + std::to_string(b) + ".bin";
    if (std::filesystem::exists(path)) append_batch(path, ds);
  }
  if (ds.size() == 0)
    throw InputError(dir + "/data_batch_1.bin: file not found (no CIFAR-10 train batch data_batch_{1..5}.bin in " + dir + ")");
  return ds;
}

}  // namespace rcsim
