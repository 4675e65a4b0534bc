#include "mapper/gemm_view.h"

#include "core/errors.h"

namespace rcsim {

GemmView gemm_view(const Network& net, std::size_t i, int k) {
  const Layer& l = net.layers.at(i);
  GemmView g;
  switch (l.kind) {
    case LayerKind::Conv:
      if (l.groups != 1)
        throw InternalError("gemm_view: layer '" + l.name + "' is a grouped conv (one GEMM per group: node_jobs)");
      g.M = std::int64_t(l.out.h) * l.out.w;
      g.K = std::int64_t(l.kernel_h) * l.kernel_w * net.active_in(i, k);
      g.N = net.active_out(i, k);
      break;
    case LayerKind::Fc:
      g.M = 1;
      g.K = net.active_in(i, k);
      g.N = net.active_out(i, k);
      break;
    default:
      throw InternalError("gemm_view: layer '" + l.name + "' is a " + to_string(l.kind) + " (no GEMM)");
  }
  return g;
}

}  // namespace rcsim
