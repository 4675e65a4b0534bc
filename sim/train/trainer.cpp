// The only translation unit that includes libtorch (see trainer.h for why).
#include "train/trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>

#include "core/errors.h"
#include "train/trainable_slices.h"

namespace rcsim {

const char* to_string(TrainAlgo algo) {
  return algo == TrainAlgo::Incremental ? "incremental" : "joint";
}

TrainAlgo parse_train_algo(const std::string& name) {
  if (name == "incremental") return TrainAlgo::Incremental;
  if (name == "joint") return TrainAlgo::Joint;
  throw InputError("--algo '" + name + "': expected 'incremental' or 'joint'");
}

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// Index tensor of channels (full-width indices).
torch::Tensor index_tensor(const std::vector<int>& v) {
  std::vector<std::int64_t> w(v.begin(), v.end());
  return torch::tensor(w, torch::kLong);
}

/// x's entries `idx` along `dim`: a narrow() view when they are a prefix (differentiable either
/// way: the gradient lands in the right entries of the full tensor).
torch::Tensor select(const torch::Tensor& x, int dim, const std::vector<int>& idx, bool prefix) {
  if (prefix) return x.narrow(dim, 0, std::int64_t(idx.size()));
  return x.index_select(dim, index_tensor(idx));
}

bool is_prefix(const std::vector<int>& idx) {
  for (std::size_t j = 0; j < idx.size(); ++j)
    if (idx[j] != int(j)) return false;
  return true;
}

torch::Tensor activate(const torch::Tensor& x, Activation a) {
  if (a == Activation::Relu) return torch::relu(x);
  if (a == Activation::Relu6) return torch::clamp(x, 0.0, 6.0);
  return x;
}

/// Full-size parameter tensors of every weighted layer, a switchable batch norm (one per width)
/// for nodes with `batchnorm`, and the width-k forward pass of the graph: every tensor holds its
/// active channels at width k compactly, in increasing full-width order (as the float reference
/// stores it), and every weight is narrowed/indexed to the active channels it connects.
class SlicedNet {
 public:
  SlicedNet(const Network& net) : net_(net), w_(net.layers.size()), b_(net.layers.size()), bn_(net.layers.size()) {}

  /// He-uniform init, width-aware: an entry first used at width k gets U(±sqrt(6/fan_in_k)),
  /// fan_in_k being its output's fan-in at width k (biases U(±1/sqrt(fan_in_k))). With the
  /// full-width fan-in, the narrow networks trained first start with activations shrinking by
  /// ~sqrt(G) per layer and learn much more slowly (measured: width 1 at 18 % vs 80 %+ after the
  /// same short schedule). A node followed by a batch norm gets bias 0, never trained: the batch
  /// norm's shift takes its role (its batch mean would cancel any bias).
  void init_random() {
    const int G = net_.width_groups;
    for (std::size_t i = 0; i < net_.layers.size(); ++i) {
      const Layer& l = net_.layers[i];
      if (!l.has_weights()) continue;
      const auto shape = weight_shape(l);
      const int kk = l.kind == LayerKind::Conv ? l.kernel_h * l.kernel_w : 1;
      torch::Tensor wb = torch::empty(shape), bb = torch::empty({l.out.c});
      for (int k = G; k >= 1; --k) {  // narrower widths overwrite: each entry gets its first width
        const auto& outs = net_.active_channels(int(i), k);
        const auto& ins = net_.active_channels(l.in_ids[0], k);
        if (l.kind == LayerKind::Conv && l.groups > 1) {
          // An output reads the active inputs of its own channel group (depthwise: one).
          const int per = l.in.c / l.groups;
          const double fan_in = std::max(1.0, std::min(double(per), double(ins.size()) / l.groups)) * kk;
          wb.index_fill_(0, index_tensor(outs), std::sqrt(6.0 / fan_in));
          bb.index_fill_(0, index_tensor(outs), 1.0 / std::sqrt(fan_in));
          continue;
        }
        const double fan_in = double(net_.active_in(i, k)) * kk;
        const int a = net_.active_out(i, k), c = net_.active_in(i, k);
        if (is_prefix(outs) && (l.kind == LayerKind::Fc ? is_prefix(net_.active_features(i, k)) : is_prefix(ins))) {
          wb.narrow(0, 0, a).narrow(1, 0, c).fill_(std::sqrt(6.0 / fan_in));
          bb.narrow(0, 0, a).fill_(1.0 / std::sqrt(fan_in));
        } else {
          const std::vector<int> cols = l.kind == LayerKind::Fc ? net_.active_features(i, k) : ins;
          torch::Tensor m = torch::zeros({l.out.c, shape[1]}, torch::kBool);
          m.index_fill_(0, index_tensor(outs), true);
          torch::Tensor mc = torch::zeros({shape[1]}, torch::kBool);
          mc.index_fill_(0, index_tensor(cols), true);
          m = m.logical_and(mc.unsqueeze(0));
          for (std::size_t d = 2; d < shape.size(); ++d) m = m.unsqueeze(-1);
          wb.masked_fill_(m.expand(shape), std::sqrt(6.0 / fan_in));
          bb.index_fill_(0, index_tensor(outs), 1.0 / std::sqrt(fan_in));
        }
      }
      w_[i] = (torch::rand(shape) * 2 - 1) * wb;
      b_[i] = (torch::rand({l.out.c}) * 2 - 1) * bb;
      if (l.batchnorm) b_[i].zero_();
      w_[i].set_requires_grad(true);
      b_[i].set_requires_grad(!l.batchnorm);
      if (l.batchnorm) {
        bn_[i].resize(std::size_t(G));
        for (int k = 1; k <= G; ++k) {
          const std::int64_t n = net_.active_out(i, k);
          Bn& b = bn_[i][std::size_t(k - 1)];
          b.gamma = torch::ones({n}).set_requires_grad(true);
          b.beta = torch::zeros({n}).set_requires_grad(true);
          b.mean = torch::zeros({n});
          b.var = torch::ones({n});
        }
      }
    }
  }

  void load(const std::vector<FloatLayerParams>& p) {
    if (p.size() != net_.layers.size()) throw InputError("parameters do not match network '" + net_.name + "'");
    const int G = net_.width_groups;
    for (std::size_t i = 0; i < net_.layers.size(); ++i) {
      const Layer& l = net_.layers[i];
      if (!l.has_weights()) continue;
      if (std::int64_t(p[i].weight.size()) != full_weight_count(l) || int(p[i].bias.size()) != l.out.c)
        throw InputError("layer '" + l.name + "': parameter sizes do not match network '" + net_.name + "'");
      w_[i] = torch::from_blob(const_cast<float*>(p[i].weight.data()), weight_shape(l)).clone();
      b_[i] = torch::from_blob(const_cast<float*>(p[i].bias.data()), {l.out.c}).clone();
      bn_[i].clear();
      if (p[i].bn_scale.empty()) continue;
      // Already folded: scale and shift per width, used as they are (Bn::folded).
      if (p[i].bn_scale.size() != std::size_t(G) || p[i].bn_shift.size() != std::size_t(G))
        throw InputError("layer '" + l.name + "': batch norm of " + std::to_string(p[i].bn_scale.size()) +
                         " widths but network '" + net_.name + "' has " + std::to_string(G));
      bn_[i].resize(std::size_t(G));
      for (int k = 1; k <= G; ++k) {
        const auto& sc = p[i].bn_scale[std::size_t(k - 1)];
        const auto& sh = p[i].bn_shift[std::size_t(k - 1)];
        if (int(sc.size()) != l.out.c || int(sh.size()) != l.out.c)
          throw InputError("layer '" + l.name + "': batch norm sizes do not match network '" + net_.name + "'");
        const torch::Tensor idx = index_tensor(net_.active_channels(int(i), k));
        Bn& b = bn_[i][std::size_t(k - 1)];
        b.gamma = torch::tensor(sc).index_select(0, idx);
        b.beta = torch::tensor(sh).index_select(0, idx);
        b.folded = true;
      }
    }
  }

  std::vector<FloatLayerParams> params() const {
    std::vector<FloatLayerParams> out(net_.layers.size());
    for (std::size_t i = 0; i < net_.layers.size(); ++i) {
      if (!w_[i].defined()) continue;
      const torch::Tensor w = w_[i].detach().contiguous(), b = b_[i].detach().contiguous();
      out[i].weight.assign(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
      out[i].bias.assign(b.data_ptr<float>(), b.data_ptr<float>() + b.numel());
      // Switchable batch norm folded per width into the per-channel scale/shift the
      // post-processing applies; channels inactive at width k get the identity.
      const int n = net_.layers[i].out.c;
      for (std::size_t kk = 0; kk < bn_[i].size(); ++kk) {
        const auto [scale, shift] = folded(i, int(kk) + 1);
        std::vector<float> sc(std::size_t(n), 1.0f), sh(std::size_t(n), 0.0f);
        const auto& act = net_.active_channels(int(i), int(kk) + 1);
        for (std::size_t j = 0; j < act.size(); ++j) {
          sc[std::size_t(act[j])] = scale[std::int64_t(j)].item<float>();
          sh[std::size_t(act[j])] = shift[std::int64_t(j)].item<float>();
        }
        out[i].bn_scale.push_back(std::move(sc));
        out[i].bn_shift.push_back(std::move(sh));
      }
    }
    return out;
  }

  /// Width-k logits. `training`: batch norms use the batch's statistics and update width k's
  /// running statistics; otherwise they apply width k's folded scale and shift, as the float
  /// reference does.
  torch::Tensor forward(const torch::Tensor& image, int k, bool training = false) const {
    std::vector<torch::Tensor> outs(net_.layers.size());
    auto in = [&](const Layer& l, std::size_t j) -> const torch::Tensor& {
      return l.in_ids[j] == kNetworkInput ? image : outs[std::size_t(l.in_ids[j])];
    };
    for (std::size_t i = 0; i < net_.layers.size(); ++i) {
      const Layer& l = net_.layers[i];
      torch::Tensor& y = outs[i];
      switch (l.kind) {
        case LayerKind::Conv: y = conv(i, k, in(l, 0)); break;
        case LayerKind::Fc: {
          const auto& o = net_.active_channels(int(i), k);
          const std::vector<int> f = net_.active_features(i, k);
          const torch::Tensor w = select(select(w_[i], 0, o, is_prefix(o)), 1, f, is_prefix(f));
          // CHW flatten: the active channels' planes in order, as active_features lists them.
          y = torch::linear(in(l, 0).flatten(1), w, select(b_[i], 0, o, is_prefix(o)));
          break;
        }
        case LayerKind::MaxPool: {
          torch::Tensor x = in(l, 0);
          if (l.pad_top || l.pad_left || l.pad_bottom || l.pad_right)  // padded positions take no part
            x = torch::constant_pad_nd(x, {l.pad_left, l.pad_right, l.pad_top, l.pad_bottom},
                                       -std::numeric_limits<float>::infinity());
          y = torch::max_pool2d(x, {l.kernel_h, l.kernel_w}, {l.stride_h, l.stride_w});
          break;
        }
        case LayerKind::AvgPool: y = avg_pool(l, in(l, 0)); break;
        case LayerKind::Add: y = in(l, 0) + in(l, 1); break;
        case LayerKind::Concat: {
          std::vector<torch::Tensor> parts;
          for (std::size_t j = 0; j < l.in_ids.size(); ++j) parts.push_back(in(l, j));
          y = torch::cat(parts, 1);
          break;
        }
        case LayerKind::Flatten: y = in(l, 0).flatten(1); break;
        case LayerKind::Act: y = in(l, 0); break;
        case LayerKind::BatchNorm: throw InternalError("trainer: unfolded batchnorm");
      }
      if (l.has_weights() && !bn_[i].empty()) y = batch_norm(i, k, y, training);
      y = activate(y, l.activation());
      // Free what no later node reads (a residual keeps its input alive until its add).
      for (int p : l.in_ids)
        if (p != kNetworkInput && last_reader(std::size_t(p)) == i) outs[std::size_t(p)] = torch::Tensor();
    }
    return outs.back();
  }

  /// Trainable tensors and their 0/1 masks for one step (undefined mask = train everything;
  /// step 0 = joint: everything). `decay`: weight decay applies (not to batch-norm affines).
  struct Param {
    torch::Tensor value, mask;
    bool decay = true;
  };
  std::vector<Param> trainable(int step) const {
    std::vector<Param> ps;
    for (std::size_t i = 0; i < net_.layers.size(); ++i) {
      const Layer& l = net_.layers[i];
      if (!l.has_weights()) continue;
      const bool bias_trains = !l.batchnorm;
      if (step == 0) {
        ps.push_back({w_[i], {}});
        if (bias_trains) ps.push_back({b_[i], {}});
        for (const Bn& b : bn_[i]) {
          ps.push_back({b.gamma, {}, false});
          ps.push_back({b.beta, {}, false});
        }
        continue;
      }
      ps.push_back({w_[i], weight_mask(i, step)});
      if (bias_trains) {
        torch::Tensor bm = torch::zeros_like(b_[i]);
        const ChannelGroups& og = net_.groups_of(int(i));
        for (int o = 0; o < l.out.c; ++o)
          if (og.group(o) == step) bm[o] = 1;
        ps.push_back({b_[i], bm});
      }
      // Width k's batch norm is new in step k: all of it trains then, and never again.
      if (!bn_[i].empty()) {
        const Bn& b = bn_[i][std::size_t(step - 1)];
        ps.push_back({b.gamma, {}, false});
        ps.push_back({b.beta, {}, false});
      }
    }
    return ps;
  }

  /// 0/1 mask of the entries of weighted node i that incremental step k trains
  /// (trainable_slices.h: trains_in_step by the output's and the input's width group).
  torch::Tensor weight_mask(std::size_t i, int k) const {
    const Layer& l = net_.layers[i];
    const auto shape = weight_shape(l);
    const ChannelGroups& og = net_.groups_of(int(i));
    const ChannelGroups& ig = net_.groups_of(l.in_ids[0]);
    const int cols = int(shape[1]);
    const int plane = l.kind == LayerKind::Fc ? net_.tensor_shape(l.in_ids[0]).h * net_.tensor_shape(l.in_ids[0]).w : 1;
    const int per = l.kind == LayerKind::Conv ? l.in.c / l.groups : 0, outs_per = l.kind == LayerKind::Conv ? l.out.c / l.groups : 1;
    torch::Tensor m = torch::zeros({l.out.c, cols});
    float* mp = m.data_ptr<float>();
    for (int o = 0; o < l.out.c; ++o)
      for (int c = 0; c < cols; ++c) {
        const int ch = l.kind == LayerKind::Fc ? c / plane : (o / outs_per) * per + c;
        mp[std::size_t(o) * cols + c] = trains_in_step(og.group(o), ig.group(ch), k) ? 1.0f : 0.0f;
      }
    for (std::size_t d = 2; d < shape.size(); ++d) m = m.unsqueeze(-1);
    return m.expand(shape).contiguous();
  }

 private:
  /// One width's batch norm over that width's active channels (compact, in active order).
  /// Trained: affine gamma/beta and running mean/var. Loaded from a weights file: `folded`, and
  /// gamma/beta are the scale/shift themselves.
  struct Bn {
    torch::Tensor gamma, beta, mean, var;
    bool folded = false;
  };

  std::pair<torch::Tensor, torch::Tensor> folded(std::size_t i, int k) const {
    const Bn& b = bn_[i][std::size_t(k - 1)];
    if (b.folded) return {b.gamma.detach(), b.beta.detach()};
    torch::NoGradGuard no_grad;
    const torch::Tensor scale = b.gamma / torch::sqrt(b.var + net_.layers[i].bn_eps);
    return {scale, b.beta - b.mean * scale};
  }

  torch::Tensor batch_norm(std::size_t i, int k, const torch::Tensor& y, bool training) const {
    const Bn& b = bn_[i][std::size_t(k - 1)];
    if (training && !b.folded)
      return torch::batch_norm(y, b.gamma, b.beta, b.mean, b.var, true, kBnMomentum, net_.layers[i].bn_eps, false);
    // The float reference's order: (conv + bias)·scale + shift.
    const auto [scale, shift] = folded(i, k);
    const std::vector<std::int64_t> bc = y.dim() == 2 ? std::vector<std::int64_t>{1, -1} : std::vector<std::int64_t>{1, -1, 1, 1};
    return y * scale.view(bc) + shift.view(bc);
  }

  torch::Tensor conv(std::size_t i, int k, torch::Tensor x) const {
    const Layer& l = net_.layers[i];
    const auto& outs = net_.active_channels(int(i), k);
    const auto& ins = net_.active_channels(l.in_ids[0], k);
    const bool symmetric = l.pad_top == l.pad_bottom && l.pad_left == l.pad_right;
    std::vector<std::int64_t> pad{l.pad_top, l.pad_left};
    if (!symmetric) {
      x = torch::constant_pad_nd(x, {l.pad_left, l.pad_right, l.pad_top, l.pad_bottom}, 0.0);
      pad = {0, 0};
    }
    const std::vector<std::int64_t> stride{l.stride_h, l.stride_w};
    const torch::Tensor w = select(w_[i], 0, outs, is_prefix(outs)), b = select(b_[i], 0, outs, is_prefix(outs));
    if (l.groups == 1) return torch::conv2d(x, select(w, 1, ins, is_prefix(ins)), b, stride, pad);
    if (l.depthwise()) {
      // Output n reads input n / multiplier; the coupling keeps exactly the outputs of the
      // active inputs, so the active channels form a depthwise conv of their own.
      return torch::conv2d(x, w, b, stride, pad, {1, 1}, std::int64_t(ins.size()));
    }
    // Grouped: each channel group on its own (its active inputs → its active outputs).
    const int per = l.in.c / l.groups, outs_per = l.out.c / l.groups;
    std::vector<torch::Tensor> parts;
    std::size_t o0 = 0, i0 = 0;
    for (int g = 0; g < l.groups; ++g) {
      std::size_t o1 = o0, i1 = i0;
      while (o1 < outs.size() && outs[o1] < (g + 1) * outs_per) ++o1;
      while (i1 < ins.size() && ins[i1] < (g + 1) * per) ++i1;
      if (o1 > o0) {
        std::vector<int> cols;
        for (std::size_t j = i0; j < i1; ++j) cols.push_back(ins[j] - g * per);
        const torch::Tensor wg = w.narrow(0, std::int64_t(o0), std::int64_t(o1 - o0));
        const torch::Tensor bg = b.narrow(0, std::int64_t(o0), std::int64_t(o1 - o0));
        if (cols.empty()) {
          parts.push_back(bg.view({1, -1, 1, 1}).expand({x.size(0), std::int64_t(o1 - o0), l.out.h, l.out.w}));
        } else {
          parts.push_back(torch::conv2d(x.narrow(1, std::int64_t(i0), std::int64_t(i1 - i0)),
                                        wg.index_select(1, index_tensor(cols)), bg, stride, pad));
        }
      }
      o0 = o1, i0 = i1;
    }
    return torch::cat(parts, 1);
  }

  torch::Tensor avg_pool(const Layer& l, torch::Tensor x) const {
    if (l.global) return x.mean({2, 3}, true);
    const bool padded = l.pad_top || l.pad_left || l.pad_bottom || l.pad_right;
    const std::vector<std::int64_t> pads{l.pad_left, l.pad_right, l.pad_top, l.pad_bottom};
    if (padded) x = torch::constant_pad_nd(x, pads, 0.0);
    const torch::Tensor mean = torch::avg_pool2d(x, {l.kernel_h, l.kernel_w}, {l.stride_h, l.stride_w});
    if (!padded || l.count_include_pad) return mean;
    const torch::Tensor sum = mean * double(l.kernel_h * l.kernel_w);
    // Padded zeros do not count: divide by the number of real input positions in each window.
    const torch::Tensor ones = torch::constant_pad_nd(torch::ones({1, 1, x.size(2) - l.pad_top - l.pad_bottom,
                                                                   x.size(3) - l.pad_left - l.pad_right}),
                                                      pads, 0.0);
    const torch::Tensor count = torch::avg_pool2d(ones, {l.kernel_h, l.kernel_w}, {l.stride_h, l.stride_w}) *
                                double(l.kernel_h * l.kernel_w);
    return sum / count;
  }

  std::size_t last_reader(std::size_t p) const { return std::size_t(net_.layers[p].consumers.back()); }

  static constexpr double kBnMomentum = 0.1;  ///< running-statistics update rate (PyTorch's default)
  const Network& net_;
  std::vector<torch::Tensor> w_, b_;
  std::vector<std::vector<Bn>> bn_;  ///< per node: one batch norm per width (empty = none)
};

/// Training images as a batch source: fixed shuffling and ±N-pixel shifts from one mt19937_64.
class Batcher {
 public:
  Batcher(const Dataset& d, int batch, int shift, std::mt19937_64& rng)
      : d_(d), batch_(batch), shift_(shift), rng_(rng), order_(d.size()) {
    std::iota(order_.begin(), order_.end(), std::size_t(0));
  }
  std::size_t batches() const { return (d_.size() + batch_ - 1) / batch_; }
  void shuffle() { std::shuffle(order_.begin(), order_.end(), rng_); }

  /// Batch j of the current order: images (augmented) and labels.
  std::pair<torch::Tensor, torch::Tensor> get(std::size_t j) {
    const std::size_t begin = j * batch_, n = std::min<std::size_t>(batch_, d_.size() - begin);
    const Shape3 s = d_.shape;
    torch::Tensor x = torch::zeros({std::int64_t(n), s.c, s.h, s.w});
    torch::Tensor y = torch::empty({std::int64_t(n)}, torch::kLong);
    float* xp = x.data_ptr<float>();
    std::int64_t* yp = y.data_ptr<std::int64_t>();
    std::uniform_int_distribution<int> shift(-shift_, shift_);
    for (std::size_t m = 0; m < n; ++m) {
      const std::size_t idx = order_[begin + m];
      const float* img = d_.image(idx);
      float* dst = xp + m * s.size();
      yp[m] = d_.labels[idx];
      const int dy = shift_ ? shift(rng_) : 0, dx = shift_ ? shift(rng_) : 0;
      for (int c = 0; c < s.c; ++c)
        for (int yy = 0; yy < s.h; ++yy) {
          const int sy = yy - dy;
          if (sy < 0 || sy >= s.h) continue;  // zero fill
          for (int xx = 0; xx < s.w; ++xx) {
            const int sx = xx - dx;
            if (sx >= 0 && sx < s.w) dst[(c * s.h + yy) * s.w + xx] = img[(c * s.h + sy) * s.w + sx];
          }
        }
    }
    return {x, y};
  }

 private:
  const Dataset& d_;
  std::size_t batch_;
  int shift_;
  std::mt19937_64& rng_;
  std::vector<std::size_t> order_;
};

torch::Tensor images_tensor(const Dataset& d, std::size_t begin, std::size_t n) {
  const Shape3 s = d.shape;
  return torch::from_blob(const_cast<float*>(d.image(begin)), {std::int64_t(n), s.c, s.h, s.w});
}

double accuracy(const SlicedNet& model, const Dataset& test, std::size_t n, int k) {
  torch::NoGradGuard no_grad;
  std::size_t correct = 0;
  const std::size_t chunk = 500;
  for (std::size_t b = 0; b < n; b += chunk) {
    const std::size_t m = std::min(chunk, n - b);
    const torch::Tensor pred = model.forward(images_tensor(test, b, m), k).argmax(1);
    const std::int64_t* pp = pred.data_ptr<std::int64_t>();
    for (std::size_t j = 0; j < m; ++j) correct += pp[j] == test.labels[b + j];
  }
  return n ? double(correct) / double(n) : 0.0;
}

void check_inputs(const Network& net, const Dataset& data, const char* what) {
  if (data.shape != net.input)
    throw InputError(std::string(what) + " dataset '" + data.name + "': images are " +
                     std::to_string(data.shape.c) + "x" + std::to_string(data.shape.h) + "x" +
                     std::to_string(data.shape.w) + " but network '" + net.name + "' expects " +
                     std::to_string(net.input.c) + "x" + std::to_string(net.input.h) + "x" +
                     std::to_string(net.input.w));
  if (data.num_classes != net.num_classes())
    throw InputError(std::string(what) + " dataset '" + data.name + "' has " + std::to_string(data.num_classes) +
                     " classes but network '" + net.name + "' has " + std::to_string(net.num_classes()) +
                     " outputs");
}

void check_options(const TrainOptions& o) {
  auto bad = [](const std::string& m) { throw InputError(m); };
  if (o.epochs < 1) bad("--epochs must be at least 1 (got " + std::to_string(o.epochs) + ")");
  if (o.batch < 1) bad("--batch must be at least 1 (got " + std::to_string(o.batch) + ")");
  if (o.threads < 1) bad("--threads must be at least 1 (got " + std::to_string(o.threads) + ")");
  if (!(o.lr > 0) || !std::isfinite(o.lr)) bad("--lr must be positive (got " + std::to_string(o.lr) + ")");
  if (o.momentum < 0 || o.momentum >= 1) bad("momentum must be in [0,1)");
  if (o.weight_decay < 0) bad("weight decay must not be negative");
  if (o.shift_augment < 0) bad("shift augmentation must not be negative");
  if (o.clip_grad_norm < 0) bad("gradient clipping norm must not be negative");
}

/// One optimisation phase: a fresh optimizer (zero momentum), warm-up + cosine LR decay over its
/// iterations, gradients and weight decay masked to the trainable entries. `widths_for_batch`
/// picks the widths whose losses are summed for each batch.
struct Phase {
  int step;  ///< incremental step (0 = joint: no masks)
  std::function<std::vector<int>(std::mt19937_64&)> widths_for_batch;
  std::vector<int> eval_widths;
};

void run_phase(SlicedNet& model, const Phase& ph, Batcher& batcher, std::mt19937_64& rng,
               const Dataset& test, std::size_t eval_n, const TrainOptions& o, const TrainHooks& hooks,
               double& train_seconds) {
  const std::vector<SlicedNet::Param> params = model.trainable(ph.step);
  std::vector<torch::Tensor> values;
  for (const auto& p : params) values.push_back(p.value);
  // Fresh optimizer per step: momentum carried over from an earlier step would keep moving
  // weights that are frozen now. Decay is applied by hand so that it too is masked.
  torch::optim::SGD opt(values, torch::optim::SGDOptions(o.lr).momentum(o.momentum).nesterov(o.momentum > 0));
  const std::size_t nb = batcher.batches();
  const double total_iters = double(nb) * o.epochs;
  std::size_t iter = 0;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    const auto t0 = Clock::now();
    batcher.shuffle();
    double loss_sum = 0;
    for (std::size_t j = 0; j < nb; ++j, ++iter) {
      // Linear warm-up over the first 5 % of the phase (the joint loss sums several widths and
      // diverges without it), then cosine decay to 0.
      const double warm = std::max(1.0, 0.05 * total_iters);
      const double lr = iter < warm ? o.lr * double(iter + 1) / warm
                                    : 0.5 * o.lr * (1 + std::cos(M_PI * (double(iter) - warm) / (total_iters - warm)));
      for (auto& g : opt.param_groups()) static_cast<torch::optim::SGDOptions&>(g.options()).lr(lr);
      auto [x, y] = batcher.get(j);
      opt.zero_grad();
      torch::Tensor loss;
      for (int k : ph.widths_for_batch(rng)) {
        torch::Tensor l = torch::nll_loss(torch::log_softmax(model.forward(x, k, true), 1), y);
        loss = loss.defined() ? loss + l : l;
      }
      loss.backward();
      {
        torch::NoGradGuard no_grad;
        for (const auto& p : params) {
          torch::Tensor g = p.value.mutable_grad();
          if (!g.defined()) continue;
          if (o.weight_decay > 0 && p.decay) g.add_(p.value, o.weight_decay);
          if (p.mask.defined()) g.mul_(p.mask);
        }
      }
      // Clipping scales the (already masked) gradients: frozen entries stay exactly zero. It
      // keeps the joint loss (a sum over widths) of this ReLU-less conv stack from diverging.
      if (o.clip_grad_norm > 0) torch::nn::utils::clip_grad_norm_(values, o.clip_grad_norm);
      opt.step();
      loss_sum += loss.item<double>();
      if (hooks.on_batch) hooks.on_batch(BatchReport{ph.step == 0 ? 1 : ph.step, epoch, j + 1, nb});
    }
    train_seconds += since(t0);
    EpochReport r;
    r.step = ph.step == 0 ? 1 : ph.step;
    r.epoch = epoch;
    r.loss = loss_sum / double(nb);
    if (eval_n)
      for (int k : ph.eval_widths) r.accuracy.push_back(accuracy(model, test, eval_n, k));
    r.seconds = since(t0);
    if (hooks.on_epoch) hooks.on_epoch(r);
  }
}

}  // namespace

TrainResult train_network(const Network& net, const Dataset& train, const Dataset& test,
                          const TrainOptions& o, const TrainHooks& hooks) {
  check_options(o);
  check_inputs(net, train, "training");
  if (train.size() == 0) throw InputError("training dataset '" + train.name + "' is empty");
  if (test.size()) check_inputs(net, test, "test");
  const auto t_start = Clock::now();
  torch::set_num_threads(o.threads);
  torch::manual_seed(o.seed);
  std::mt19937_64 rng(o.seed);

  SlicedNet model(net);
  model.init_random();
  Batcher batcher(train, o.batch, o.shift_augment, rng);
  const std::size_t eval_n = o.eval_images ? std::min(o.eval_images, test.size()) : test.size();
  const int G = net.width_groups;
  TrainResult result;
  if (hooks.on_step) hooks.on_step(0, model.params());

  if (o.algo == TrainAlgo::Incremental) {
    for (int k = 1; k <= G; ++k) {
      Phase ph;
      ph.step = k;
      ph.widths_for_batch = [k](std::mt19937_64&) { return std::vector<int>{k}; };
      for (int w = 1; w <= k; ++w) ph.eval_widths.push_back(w);
      double secs = 0;
      run_phase(model, ph, batcher, rng, test, eval_n, o, hooks, secs);
      result.step_seconds.push_back(secs);
      if (hooks.on_step) hooks.on_step(k, model.params());
    }
  } else {
    Phase ph;
    ph.step = 0;
    // Sandwich rule: the largest and the smallest width every batch, plus one random middle one.
    ph.widths_for_batch = [G](std::mt19937_64& r) {
      std::vector<int> ws{G};
      if (G > 1) ws.push_back(1);
      if (G > 2) ws.push_back(std::uniform_int_distribution<int>(2, G - 1)(r));
      return ws;
    };
    for (int w = 1; w <= G; ++w) ph.eval_widths.push_back(w);
    double secs = 0;
    run_phase(model, ph, batcher, rng, test, eval_n, o, hooks, secs);
    result.step_seconds.push_back(secs);
    if (hooks.on_step) hooks.on_step(G, model.params());
  }
  result.params = model.params();
  result.seconds = since(t_start);
  return result;
}

std::vector<float> train_forward_logits(const Network& net, const std::vector<FloatLayerParams>& params,
                                        int k, const Dataset& data, std::size_t n, int threads) {
  net.check_width(k);
  check_inputs(net, data, "evaluation");
  torch::set_num_threads(threads);
  SlicedNet model(net);
  model.load(params);
  n = n ? std::min(n, data.size()) : data.size();
  torch::NoGradGuard no_grad;
  const torch::Tensor logits = model.forward(images_tensor(data, 0, n), k).contiguous();
  return std::vector<float>(logits.data_ptr<float>(), logits.data_ptr<float>() + logits.numel());
}

}  // namespace rcsim
