#include "host/width_invariant.h"

#include "core/errors.h"

namespace rcsim {

std::vector<bool> width_invariant_nodes(const QuantizedNetwork& qn, bool for_float) {
  const Network& net = qn.net;
  std::vector<bool> inv(net.layers.size(), false);
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    bool ok = true;
    if (l.has_weights()) {
      if (for_float) ok = i < qn.float_params.size() && qn.float_params[i].bn_scale.empty();
      else ok = i < qn.quant_params.size() && qn.quant_params[i].post.empty();
    }
    const bool mixes_channels = l.kind == LayerKind::Fc || (l.kind == LayerKind::Conv && !l.depthwise());
    for (int t : l.in_ids) {
      if (t != kNetworkInput && !inv[std::size_t(t)]) ok = false;
      // A split input means an output channel reads more inputs at larger widths.
      if (mixes_channels && net.groups_of(t).split()) ok = false;
    }
    inv[i] = ok;
  }
  return inv;
}

std::vector<int> positions_at_width(const Network& net, int t, int k, int kw) {
  const std::vector<int>& small = net.active_channels(t, k);
  const std::vector<int>& wide = net.active_channels(t, kw);
  std::vector<int> pos;
  pos.reserve(small.size());
  std::size_t p = 0;
  for (int c : small) {
    while (p < wide.size() && wide[p] < c) ++p;
    if (p == wide.size() || wide[p] != c) throw InternalError("positions_at_width: channel not active at the wider width");
    pos.push_back(int(p));
  }
  return pos;
}

}  // namespace rcsim
