#include "mapper/activation_plan.h"

#include <algorithm>


namespace rcsim {

ActivationPlan::ActivationPlan(const Network& net, int bits) {
  const std::size_t L = net.layers.size();
  tensors_.resize(L + 1);
  auto at = [&](int t) -> Tensor& { return tensors_[std::size_t(t + 1)]; };
  at(kNetworkInput).bytes = net.input.size() * bits / 8;
  for (std::size_t i = 0; i < L; ++i) {
    const Layer& l = net.layers[i];
    Tensor& t = at(int(i));
    t.id = t.storage = int(i);
    if (l.kind == LayerKind::Flatten) {
      t.storage = at(l.in_ids[0]).storage;
    } else {
      // The classifier's logits are int32 words; everything else is stored at `bits`.
      t.bytes = l.out.size() * (l.is_classifier ? 32 : bits) / 8;
    }
  }
  for (int t = kNetworkInput; t < int(L); ++t) at(t).id = t;
  // Last reader of each storage tensor.
  for (std::size_t i = 0; i < L; ++i)
    for (int in : net.layers[i].in_ids) {
      Tensor& s = at(at(in).storage);
      s.last_use = std::max(s.last_use, int(i));
    }
  for (int t = kNetworkInput; t < int(L); ++t) at(t).last_use = at(at(t).storage).last_use;
  live_.resize(L), live_bytes_.assign(L, 0), released_.resize(L);
  for (std::size_t i = 0; i < L; ++i) {
    for (int t = kNetworkInput; t < int(L); ++t) {
      const Tensor& s = at(t);
      if (s.storage != t) continue;
      // Produced at or before node i and read by node i or later, or node i's own output.
      if (t <= int(i) && (t == int(i) || s.last_use >= int(i))) {
        live_[i].push_back(t);
        live_bytes_[i] += s.bytes;
      }
      if (s.last_use == int(i)) released_[i].push_back(t);
    }
  }
}

}  // namespace rcsim
