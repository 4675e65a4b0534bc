#include "host/dataset_logits.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "host/int_reference.h"

namespace rcsim {

void for_each_int_logits(const QuantizedNetwork& qn, const Dataset& ds,
                         const std::function<void(std::size_t, int, const std::int32_t*, std::size_t)>& visit) {
  check_image_shape(ds, qn.net.input);
  const std::size_t n = ds.size(), image_size = qn.net.input.size();
  std::vector<int> widths(std::size_t(qn.net.width_groups));
  std::iota(widths.begin(), widths.end(), 1);
  std::vector<std::int32_t> q;
  for (std::size_t first = 0; first < n; first += kLogitsBatch) {
    const std::size_t count = std::min(kLogitsBatch, n - first);
    q.resize(count * image_size);
    for (std::size_t b = 0; b < count; ++b) {
      const std::vector<std::int32_t> img = quantize_image(qn, ds.image(first + b));
      std::copy(img.begin(), img.end(), q.begin() + std::ptrdiff_t(b * image_size));
    }
    const auto logits = int_logits_widths(qn, widths, q.data(), count);
    for (std::size_t w = 0; w < widths.size(); ++w) {
      const std::size_t classes = logits[w].size() / count;
      for (std::size_t b = 0; b < count; ++b) visit(first + b, widths[w], logits[w].data() + b * classes, classes);
    }
  }
}

}  // namespace rcsim
