// SVHN format 2 (cropped 32×32 digits) from train_32x32.mat / test_32x32.mat.
#include <cmath>

#include "core/errors.h"
#include "host/dataset.h"
#include "host/mat_file.h"

namespace rcsim {

Dataset load_svhn(const std::string& dir_arg, Split split) {
  const std::string dir = dir_arg.empty() ? default_data_dir() + "/svhn" : dir_arg;
  const std::string path = dir + (split == Split::Train ? "/train_32x32.mat" : "/test_32x32.mat");
  const std::vector<MatArray> vars = read_mat_file(path, {"X", "y"});
  const MatArray& x = find_mat_array(vars, "X", path);
  const MatArray& y = find_mat_array(vars, "y", path);
  if (x.cls != MatClass::UInt8) throw InputError(path + ": X is " + std::string(to_string(x.cls)) + ", expected uint8");
  // MATLAB drops trailing singleton dimensions: a single image is stored as 32×32×3.
  const bool dims_ok = (x.dims.size() == 4 || x.dims.size() == 3) && x.dims[0] == 32 && x.dims[1] == 32 && x.dims[2] == 3;
  if (!dims_ok) throw InputError(path + ": X must be 32x32x3xN");
  const std::int64_t n = x.dims.size() == 4 ? x.dims[3] : 1;
  const bool y_ok = y.dims.size() == 2 && ((y.dims[0] == n && y.dims[1] == 1) || (y.dims[0] == 1 && y.dims[1] == n));
  if (!y_ok) throw InputError(path + ": y must be " + std::to_string(n) + "x1 (one label per image of X)");
  Dataset ds;
  ds.name = "svhn";
  ds.shape = Shape3{3, 32, 32};
  ds.num_classes = 10;
  ds.labels.resize(std::size_t(n));
  for (std::int64_t i = 0; i < n; ++i) {
    const double v = y.value(std::size_t(i));
    if (!(v >= 1 && v <= 10) || v != std::floor(v))
      throw InputError(path + ": y(" + std::to_string(i + 1) + ") = " + std::to_string(v) + " is not a label 1..10");
    ds.labels[std::size_t(i)] = std::uint8_t(int(v) % 10);  // 10 is digit 0
  }
  // X(i,j,c,n) (row i, column j) sits at i + 32j + 1024c + 3072n; CHW wants c·1024 + 32i + j.
  const bool bytes = x.storage == MatType::UInt8;
  ds.pixels.resize(std::size_t(n) * 3072);
  for (std::int64_t img = 0; img < n; ++img)
    for (int c = 0; c < 3; ++c)
      for (int j = 0; j < 32; ++j)
        for (int i = 0; i < 32; ++i) {
          const std::size_t src = std::size_t(i + 32 * j + 1024 * c + 3072 * img);
          const double v = bytes ? x.bytes[src] : x.value(src);
          if (!bytes && !(v >= 0 && v <= 255)) throw InputError(path + ": X holds a value outside 0..255");
          ds.pixels[std::size_t(img) * 3072 + c * 1024 + i * 32 + j] = float(v) / 255.0f;
        }
  return ds;
}

}  // namespace rcsim
