// Fashion-MNIST from Debian's dataset-fashion-mnist package (gzipped IDX files).
#include <filesystem>

#include "core/errors.h"
#include "host/dataset.h"
#include "host/idx_file.h"

namespace rcsim {

Dataset load_fashion_mnist(const std::string& dir_arg, Split split) {
  const std::string dir = dir_arg.empty() ? "/usr/share/datasets/fashion-mnist" : dir_arg;
  const std::string prefix = dir + "/" + (split == Split::Train ? "train" : "t10k");
  const std::string images_path = prefix + "-images-idx3-ubyte.gz";
  const std::string labels_path = prefix + "-labels-idx1-ubyte.gz";
  for (const auto& p : {images_path, labels_path})
    if (!std::filesystem::is_regular_file(p))
      throw InputError(p + ": file not found (`apt-get install dataset-fashion-mnist` installs Fashion-MNIST)");
  const IdxArray images = read_idx_gz(images_path);
  const IdxArray labels = read_idx_gz(labels_path);
  if (images.magic != 0x00000803)
    throw InputError(images_path + ": wrong magic number (expected 0x00000803, 3-d unsigned-byte images)");
  if (labels.magic != 0x00000801)
    throw InputError(labels_path + ": wrong magic number (expected 0x00000801, 1-d unsigned-byte labels)");
  if (images.dims[1] != 28 || images.dims[2] != 28)
    throw InputError(images_path + ": images are " + std::to_string(images.dims[1]) + "x" +
                     std::to_string(images.dims[2]) + ", expected 28x28");
  if (images.dims[0] != labels.dims[0])
    throw InputError(labels_path + ": " + std::to_string(labels.dims[0]) + " labels for " +
                     std::to_string(images.dims[0]) + " images in " + images_path);
  Dataset ds;
  ds.name = "fashion-mnist";
  ds.shape = Shape3{1, 28, 28};
  ds.num_classes = 10;
  for (std::size_t i = 0; i < labels.values.size(); ++i)
    if (labels.values[i] >= 10)
      throw InputError(labels_path + ": label " + std::to_string(labels.values[i]) + " of image " + std::to_string(i) + " is out of range 0..9");
  ds.labels = labels.values;
  ds.pixels.resize(images.values.size());
  for (std::size_t i = 0; i < images.values.size(); ++i) ds.pixels[i] = images.values[i] / 255.0f;
  return ds;
}

}  // namespace rcsim
