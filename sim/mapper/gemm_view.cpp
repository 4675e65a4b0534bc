#include "mapper/gemm_view.h"

#include "core/errors.h"

namespace rcsim {

GemmView gemm_view(const Network& net, std::size_t i, int k) {
  const Layer& l = net.layers.at(i);
  GemmView g;
  switch (l.kind) {
    case LayerKind::Conv:
      g.M = std::int64_t(l.out.h) * l.out.w;
      g.K = std::int64_t(l.kernel_h) * l.kernel_h * net.active_in(i, k);
      g.N = net.active_out(i, k);
      break;
    case LayerKind::Fc:
      g.M = 1;
      g.K = net.active_in(i, k);
      g.N = net.active_out(i, k);
      break;
    case LayerKind::MaxPool:
      throw InternalError("gemm_view: layer '" + l.name + "' is a pool");
  }
  return g;
}

}  // namespace rcsim
