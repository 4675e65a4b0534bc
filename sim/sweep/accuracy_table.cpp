#include "sweep/accuracy_table.h"

#include <filesystem>

#include "core/network_yaml.h"
#include "host/dataset.h"
#include "host/int_reference.h"
#include "host/weights_file.h"
#include "host/weights_source.h"
#include "sweep/width_table_builder.h"

namespace rcsim::sweep {

const AccuracyTable::Entry& AccuracyTable::entry(const std::string& net_name) {
  auto it = cache_.find(net_name);
  if (it != cache_.end()) return it->second;
  Entry e;
  try {
    const Network net = load_network(net_name);
    const std::string path = weights_.empty() ? default_weights_path(net.name) : weights_;
    if (!std::filesystem::exists(path)) {
      e.why = "no trained weights (" + path + ")";
    } else {
      const QuantizedNetwork qn = load_weights(path, &net);
      e.bits = qn.bits;
      const Dataset ds = load_dataset(default_dataset(net.name), "", Split::Test).head(std::size_t(images_));
      e.per_width.assign(std::size_t(net.width_groups), 0);
      for (std::size_t i = 0; i < ds.size(); ++i) {
        const auto img = quantize_image(qn, ds.image(i));
        for (int k = 1; k <= net.width_groups; ++k)
          e.per_width[std::size_t(k - 1)] += argmax(int_forward(qn, k, img).back()) == ds.labels[i];
      }
      for (auto& a : e.per_width) a /= double(ds.size());
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
