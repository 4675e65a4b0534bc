#include "sweep/accuracy_table.h"

#include <filesystem>

#include "core/network_yaml.h"
#include "eval/model_source.h"
#include "eval/reference_accuracy.h"
#include "host/dataset.h"
#include "host/weights_file.h"
#include "host/weights_source.h"

namespace rcsim::sweep {

const AccuracyTable::Entry& AccuracyTable::entry(const std::string& net_name) {
  auto it = cache_.find(net_name);
  if (it != cache_.end()) return it->second;
  Entry e;
  try {
    const Network net = eval::load_network_spec(net_name);
    const std::string path = weights_.empty() ? default_weights_path(net.name) : weights_;
    if (!std::filesystem::exists(path)) {
      e.why = "no trained weights (" + path + ")";
    } else {
      const QuantizedNetwork qn = load_weights(path, &net);
      e.bits = qn.bits;
      e.per_width = eval::reference_accuracy(
          qn, load_dataset(default_dataset(net.name), "", Split::Test).head(std::size_t(images_)));
    }
  } catch (const std::exception& ex) {
    e.per_width.clear();
    e.why = ex.what();
  }
  return cache_.emplace(net_name, std::move(e)).first->second;
}

std::optional<double> AccuracyTable::get(const std::string& net, int k, int bits) {
  std::lock_guard<std::mutex> lock(mu_);
  const Entry& e = entry(net);
  if (bits != e.bits || k < 1 || k > int(e.per_width.size())) return std::nullopt;
  return e.per_width[std::size_t(k - 1)];
}

std::string AccuracyTable::why(const std::string& net) {
  std::lock_guard<std::mutex> lock(mu_);
  return entry(net).why;
}

}  // namespace rcsim::sweep
