#include "sweep/adaptive.h"

#include <algorithm>
#include <cmath>

#include "core/errors.h"
#include "host/dataset_logits.h"
#include "host/int_reference.h"

namespace rcsim::sweep {

double softmax_margin(const std::vector<std::int32_t>& logits, int shift) {
  if (logits.size() < 2) return 0;
  const double scale = std::ldexp(1.0, -shift);
  const double top = double(*std::max_element(logits.begin(), logits.end())) * scale;
  double sum = 0;
  std::vector<double> p;
  for (auto q : logits) p.push_back(std::exp(double(q) * scale - top)), sum += p.back();
  std::sort(p.begin(), p.end(), std::greater<double>());
  return (p[0] - p[1]) / sum;
}

std::vector<ImageOutcome> image_outcomes(const QuantizedNetwork& qn, const Dataset& ds) {
  const QuantLayerParams& cls = qn.quant_params.back();
  const int shift = cls.in_shift + cls.w_shift;  // classifier accumulators' scale exponent
  std::vector<ImageOutcome> out(ds.size());
  for_each_int_logits(qn, ds, [&](std::size_t i, int, const std::int32_t* p, std::size_t classes) {
    const std::vector<std::int32_t> logits(p, p + classes);
    out[i].label = ds.labels[i];
    out[i].pred.push_back(argmax(logits));
    out[i].margin.push_back(softmax_margin(logits, shift));
  });
  return out;
}

CascadeResult evaluate_cascade(const std::vector<ImageOutcome>& images, const WidthTable& table, double threshold,
                               Escalation mode) {
  table.validate("width table");
  const int G = table.max_width();
  CascadeResult r;
  r.threshold = threshold;
  r.final_width_share.assign(std::size_t(G), 0);
  if (images.empty()) return r;
  for (const auto& im : images) {
    if (int(im.pred.size()) != G) throw InputError("image outcomes have " + std::to_string(im.pred.size()) +
                                                   " widths, the table " + std::to_string(G));
    int k = 1;
    double e = table.at(1).energy_j, t = table.at(1).latency_s;
    while (k < G && im.margin[std::size_t(k - 1)] < threshold) {
      const int next = mode == Escalation::Next ? k + 1 : G;
      e += table.reconfig_j[std::size_t(k - 1)][std::size_t(next - 1)] + table.at(next).energy_j;
      t += table.reconfig_s[std::size_t(k - 1)][std::size_t(next - 1)] + table.at(next).latency_s;
      k = next;
    }
    // Back to the start width for the next image.
    e += table.reconfig_j[std::size_t(k - 1)][0];
    t += table.reconfig_s[std::size_t(k - 1)][0];
    r.accuracy += im.pred[std::size_t(k - 1)] == im.label;
    r.energy_j += e;
    r.latency_s += t;
    r.escalated += k > 1;
    r.final_width_share[std::size_t(k - 1)] += 1;
  }
  const double n = double(images.size());
  r.accuracy /= n, r.energy_j /= n, r.latency_s /= n, r.escalated /= n;
  for (auto& s : r.final_width_share) s /= n;
  return r;
}

CascadeResult evaluate_fixed(const std::vector<ImageOutcome>& images, const WidthTable& table, int k) {
  CascadeResult r;
  r.threshold = std::nan("");
  r.final_width_share.assign(std::size_t(table.max_width()), 0);
  r.final_width_share[std::size_t(k - 1)] = 1;
  r.energy_j = table.at(k).energy_j;
  r.latency_s = table.at(k).latency_s;
  for (const auto& im : images) r.accuracy += im.pred.at(std::size_t(k - 1)) == im.label;
  if (!images.empty()) r.accuracy /= double(images.size());
  return r;
}

}  // namespace rcsim::sweep
