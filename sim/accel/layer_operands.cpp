#include "accel/layer_operands.h"

namespace rcsim {

LayerOperands prepare_layer(const QuantizedNetwork& qn, std::size_t i, int k) {
  const Network& net = qn.net;
  const Layer& l = net.layers.at(i);
  const QuantLayerParams& q = qn.quant_params.at(i);
  LayerOperands op;
  op.shift = q.requant_shift();
  op.relu = l.relu;
  op.classifier = l.is_classifier;
  GemmJob& job = op.gemm;
  job.layer = i;
  job.g = gemm_view(net, i, k);
  const std::int64_t M = job.g.M, K = job.g.K, N = job.g.N;
  const int kk = l.kind == LayerKind::Conv ? l.kernel_h * l.kernel_h : 1;
  const std::int64_t in_full = l.in.c;  // full-width input channels (conv) / features (fc)
  job.w.resize(K * N);
  for (std::int64_t n = 0; n < N; ++n)
    for (std::int64_t kidx = 0; kidx < K; ++kidx) {
      const std::int64_t ci = kidx / kk, r = kidx % kk;
      job.w[kidx * N + n] = q.weight[(n * in_full + ci) * kk + r];
    }
  job.bias.assign(q.bias.begin(), q.bias.begin() + N);
  job.gather.resize(M * K);
  job.inbounds_per_k.assign(K, 0);
  if (l.kind == LayerKind::Fc) {
    for (std::int64_t kidx = 0; kidx < K; ++kidx) job.gather[kidx] = std::int32_t(kidx), job.inbounds_per_k[kidx] = 1;
  } else {
    const int H = l.in.h, Wd = l.in.w;
    for (std::int64_t m = 0; m < M; ++m) {
      const int oy = int(m / l.out.w), ox = int(m % l.out.w);
      for (std::int64_t kidx = 0; kidx < K; ++kidx) {
        const int ci = int(kidx / kk), ky = int(kidx % kk) / l.kernel_h, kx = int(kidx % kk) % l.kernel_h;
        const int y = oy * l.stride_h + ky - l.pad_top, x = ox * l.stride_h + kx - l.pad_top;
        const bool in = y >= 0 && y < H && x >= 0 && x < Wd;
        job.gather[m * K + kidx] = in ? std::int32_t((ci * H + y) * Wd + x) : -1;
        job.inbounds_per_k[kidx] += in;
      }
    }
  }
  return op;
}

}  // namespace rcsim
