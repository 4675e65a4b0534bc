#include "accel/layer_operands.h"

#include <algorithm>

#include "host/int_gemm.h"

namespace rcsim {

namespace {

// How many of the output rows (or columns) o = 0..n−1 read an in-bounds input at offset d.
std::int64_t inside(int n_out, int stride, int d, int n_in) {
  std::int64_t c = 0;
  for (int o = 0; o < n_out; ++o) c += unsigned(o * stride + d) < unsigned(n_in);
  return c;
}

// The job's weights W^T: a view of the node's weight tensor when the job's columns are
// consecutive output channels and its reduction rows the first K of each channel's weights (a
// dense conv or fc whose active inputs are a prefix: every node at full width), else a gathered
// copy (channels or inputs picked out at a narrower width), zero-padded per column.
JobWeights job_weights(const QuantLayerParams& q, std::int64_t per_out, const NodeJob& nj) {
  const std::int64_t K = nj.g.K, N = nj.g.N;
  bool contiguous = K <= per_out;
  for (std::int64_t n = 1; contiguous && n < N; ++n)
    contiguous = nj.out_channels[std::size_t(n)] == nj.out_channels[0] + n;
  for (std::int64_t k = 0; contiguous && k < K; ++k) contiguous = nj.rows.row_slot[std::size_t(k)] == k;
  if (contiguous && N > 0) {
    const std::int64_t first = std::int64_t(nj.out_channels[0]) * per_out;
    return q.weight.int8_storage() ? JobWeights::view(q.weight.data8() + first, per_out, K, N)
                                   : JobWeights::view(q.weight.data16() + first, per_out, K, N);
  }
  const std::int64_t stride = intgemm::round_up(int(std::max<std::int64_t>(K, 1)), intgemm::kColAlign);
  auto gather = [&](auto w) {  // in the storage's own type
    for (std::int64_t n = 0; n < N; ++n) {
      const std::int64_t row0 = std::int64_t(nj.out_channels[std::size_t(n)]) * per_out;
      for (std::int64_t k = 0; k < K; ++k)
        w[std::size_t(n * stride + k)] =
            static_cast<typename decltype(w)::value_type>(q.weight[std::size_t(row0 + nj.rows.row_slot[std::size_t(k)])]);
    }
    return JobWeights::own(std::move(w), stride, K, N);
  };
  return q.weight.int8_storage() ? gather(std::vector<std::int8_t>(std::size_t(N * stride), 0))
                                 : gather(std::vector<std::int16_t>(std::size_t(N * stride), 0));
}

}  // namespace

LayerOperands prepare_layer(const QuantizedNetwork& qn, std::size_t i, int k) {
  const Network& net = qn.net;
  const Layer& l = net.layers.at(i);
  const QuantLayerParams& q = qn.quant_params.at(i);
  LayerOperands op;
  op.post.classifier = l.is_classifier;
  op.post.shift = q.requant_shift();
  op.post.lo = qn.out_lo(i);
  op.post.hi = qn.out_hi(i);
  op.post.scale = l.is_classifier ? nullptr : q.post_of(k);
  op.post.out_channels = net.active_channels(int(i), k);
  op.N = std::int64_t(op.post.out_channels.size());
  const bool fc = l.kind == LayerKind::Fc;
  const Shape3 in = net.in_shape(i, k);
  // Output pixels' window origins, shared by the node's jobs.
  auto oy0 = std::make_shared<std::vector<std::int32_t>>(), ox0 = std::make_shared<std::vector<std::int32_t>>();
  if (fc) {
    oy0->assign(1, 0), ox0->assign(1, 0);
  } else {
    for (int oy = 0; oy < l.out.h; ++oy)
      for (int ox = 0; ox < l.out.w; ++ox) oy0->push_back(oy * l.stride_h), ox0->push_back(ox * l.stride_w);
  }
  op.M = std::int64_t(oy0->size());
  // Weights per output channel in the full-width layout ([out][in/groups][kh][kw] or [out][in]).
  const std::int64_t per_out = fc ? l.in.c : std::int64_t(l.in.c / l.groups) * l.kernel_h * l.kernel_w;
  for (NodeJob& nj : node_jobs(net, i, k)) {
    GemmJob job;
    job.g = nj.g;
    const std::int64_t K = job.g.K;
    job.w = job_weights(q, per_out, nj);
    for (int n : nj.out_channels) job.bias.push_back(q.bias[std::size_t(n)]);
    OperandGather& x = job.x;
    x.oy0 = oy0, x.ox0 = ox0;
    job.inbounds_per_k.assign(std::size_t(K), 0);
    if (fc) {
      for (std::int64_t kidx = 0; kidx < K; ++kidx) {
        x.base.push_back(nj.in_pos[std::size_t(kidx)]);
        x.dy.push_back(0), x.dx.push_back(0);
        job.inbounds_per_k[std::size_t(kidx)] = 1;
      }
    } else {
      x.in_h = in.h, x.in_w = in.w;
      const std::int64_t plane = std::int64_t(in.h) * in.w;
      for (std::size_t item = 0; item < nj.in_pos.size(); ++item)
        for (int ky = 0; ky < l.kernel_h; ++ky)
          for (int kx = 0; kx < l.kernel_w; ++kx) {
            x.base.push_back(std::int32_t(nj.in_pos[item] * plane));
            x.dy.push_back(std::int16_t(ky - l.pad_top));
            x.dx.push_back(std::int16_t(kx - l.pad_left));
          }
      for (std::int64_t kidx = 0; kidx < K; ++kidx)
        job.inbounds_per_k[std::size_t(kidx)] = inside(l.out.h, l.stride_h, x.dy[std::size_t(kidx)], in.h) *
                                                inside(l.out.w, l.stride_w, x.dx[std::size_t(kidx)], in.w);
    }
    job.rows = std::move(nj.rows);
    job.out_pos = std::move(nj.out_pos);
    op.jobs.push_back(std::move(job));
  }
  return op;
}

}  // namespace rcsim

namespace rcsim {

GemmJob slice_job(const GemmJob& job, std::int64_t m0, std::int64_t m1, std::int64_t n0, std::int64_t n1) {
  GemmJob t;
  t.g = GemmView{m1 - m0, job.g.K, n1 - n0};
  t.w = job.w.columns(n0, n1);  // a view of the parent's columns: a tile holds no copy
  t.bias.assign(job.bias.begin() + std::ptrdiff_t(n0), job.bias.begin() + std::ptrdiff_t(n1));
  t.x = job.x;
  t.x.oy0 = std::make_shared<std::vector<std::int32_t>>(job.x.oy0->begin() + std::ptrdiff_t(m0),
                                                        job.x.oy0->begin() + std::ptrdiff_t(m1));
  t.x.ox0 = std::make_shared<std::vector<std::int32_t>>(job.x.ox0->begin() + std::ptrdiff_t(m0),
                                                        job.x.ox0->begin() + std::ptrdiff_t(m1));
  // Padding depends on which pixels the tile has: count the in-bounds operands of its rows.
  t.inbounds_per_k.assign(std::size_t(job.g.K), 0);
  for (std::int64_t k = 0; k < job.g.K; ++k) {
    std::int64_t n = 0;
    for (std::int64_t m = 0; m < t.g.M; ++m) n += t.x.addr(m, k) >= 0;
    t.inbounds_per_k[std::size_t(k)] = n;
  }
  t.rows.row_group = job.rows.row_group;
  t.rows.row_slot = job.rows.row_slot;
  t.rows.col_group.assign(job.rows.col_group.begin() + std::ptrdiff_t(n0), job.rows.col_group.begin() + std::ptrdiff_t(n1));
  t.out_pos.assign(job.out_pos.begin() + std::ptrdiff_t(n0), job.out_pos.begin() + std::ptrdiff_t(n1));
  return t;
}

}  // namespace rcsim
