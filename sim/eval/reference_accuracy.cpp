#include "eval/reference_accuracy.h"

#include "host/int_reference.h"

namespace rcsim::eval {

std::vector<double> reference_accuracy(const QuantizedNetwork& qn, const Dataset& ds) {
  check_image_shape(ds, qn.net.input);
  std::vector<double> acc(std::size_t(qn.net.width_groups), 0);
  for (std::size_t i = 0; i < ds.size(); ++i) {
    const auto img = quantize_image(qn, ds.image(i));
    for (int k = 1; k <= qn.net.width_groups; ++k)
      acc[std::size_t(k - 1)] += argmax(int_forward(qn, k, img).back()) == ds.labels[i];
  }
  for (auto& a : acc) a /= double(ds.size());
  return acc;
}

}  // namespace rcsim::eval
