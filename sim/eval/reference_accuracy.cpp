#include "eval/reference_accuracy.h"

#include <algorithm>

#include "host/dataset_logits.h"

namespace rcsim::eval {

std::vector<double> reference_accuracy(const QuantizedNetwork& qn, const Dataset& ds) {
  std::vector<double> acc(std::size_t(qn.net.width_groups), 0);
  for_each_int_logits(qn, ds, [&](std::size_t i, int k, const std::int32_t* logits, std::size_t classes) {
    const std::size_t best = std::size_t(std::max_element(logits, logits + classes) - logits);  // first on ties
    acc[std::size_t(k - 1)] += best == std::size_t(ds.labels[i]);
  });
  for (auto& a : acc) a /= double(ds.size());
  return acc;
}

}  // namespace rcsim::eval
