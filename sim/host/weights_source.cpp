#include "host/weights_source.h"

#include <cstdlib>
#include <filesystem>
#include <map>

#include "core/errors.h"
#include "host/weights_file.h"

namespace rcsim {

std::string default_dataset(const std::string& net) {
  static const std::map<std::string, std::string> d{
      {"mnist_lenet", "mnist"}, {"cifar10_quick", "cifar10"}, {"svhn", "svhn"},
      {"fmnist_resdw", "fashion-mnist"}};
  const auto it = d.find(net);
  return it == d.end() ? "" : it->second;
}

std::string default_weights_dir() {
  if (const char* dir = std::getenv("RCSIM_WEIGHTS_DIR"); dir && *dir) return dir;
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path installed = exe.parent_path().parent_path() / "share" / "rcsim" / "weights";
    if (std::filesystem::is_directory(installed, ec)) return installed.string();
  }
  return std::string(RCSIM_SOURCE_DIR) + "/workloads/weights";
}

std::string default_weights_path(const std::string& net) { return shipped_weights_path(net, ""); }

std::string shipped_weights_path(const std::string& net, const std::string& dataset, const std::string& algo) {
  return default_weights_dir() + "/" + net + "-" + (dataset.empty() ? default_dataset(net) : dataset) + "-" + algo +
         ".safetensors";
}

QuantizedNetwork load_weights_spec(const std::string& spec, const Network& net, int bits,
                                   std::uint64_t seed, std::string* label) {
  if (spec == "random") {
    if (label) *label = "random (seed " + std::to_string(seed) + ")";
    return random_quantized_network(net, bits, seed);
  }
  std::string path = spec;
  if (path.empty()) {
    path = default_weights_path(net.name);
    if (!std::filesystem::exists(path))
      throw InputError("no trained weights for '" + net.name + "' (looked for " + path +
                       "); train them with `rcsim train` or run with --weights random");
  }
  if (label) *label = path;
  return load_weights(path, &net);
}

}  // namespace rcsim
