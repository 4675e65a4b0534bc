// The only translation unit that includes libtorch (see trainer.h for why).
#include "train/trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
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

/// Full-size parameter tensors of every weighted layer, and the width-k forward pass: every
/// layer narrowed to its first active channels (narrow() is a differentiable view, so the
/// gradient lands in the right entries of the full tensor).
class SlicedNet {
 public:
  SlicedNet(const Network& net) : net_(net), w_(net.layers.size()), b_(net.layers.size()) {}

  /// He-uniform init, width-aware: an entry first used at width k gets U(±sqrt(6/fan_in_k)),
  /// fan_in_k being its output's fan-in at width k (biases U(±1/sqrt(fan_in_k))). With the
  /// full-width fan-in, the narrow networks trained first start with activations shrinking by
  /// ~sqrt(G) per layer and learn much more slowly (measured: width 1 at 18 % vs 80 %+ after the
  /// same short schedule).
  void init_random() {
    const int G = net_.width_groups;
    for (std::size_t i = 0; i < net_.layers.size(); ++i) {
      const Layer& l = net_.layers[i];
      if (!l.has_weights()) continue;
      const auto shape = weight_shape(l);
      const int kk = l.kind == LayerKind::Conv ? l.kernel_h * l.kernel_h : 1;
      torch::Tensor wb = torch::empty(shape), bb = torch::empty({l.out.c});
      for (int k = G; k >= 1; --k) {  // narrower widths overwrite: each entry gets its first width
        const double fan_in = double(net_.active_in(i, k)) * kk;
        const int a = net_.active_out(i, k), c = net_.active_in(i, k);
        wb.narrow(0, 0, a).narrow(1, 0, c).fill_(std::sqrt(6.0 / fan_in));
        bb.narrow(0, 0, a).fill_(1.0 / std::sqrt(fan_in));
      }
      w_[i] = (torch::rand(shape) * 2 - 1) * wb;
      b_[i] = (torch::rand({l.out.c}) * 2 - 1) * bb;
      w_[i].set_requires_grad(true);
      b_[i].set_requires_grad(true);
    }
  }

  void load(const std::vector<FloatLayerParams>& p) {
    if (p.size() != net_.layers.size()) throw InputError("parameters do not match network '" + net_.name + "'");
    for (std::size_t i = 0; i < net_.layers.size(); ++i) {
      const Layer& l = net_.layers[i];
      if (!l.has_weights()) continue;
      if (std::int64_t(p[i].weight.size()) != full_weight_count(l) || int(p[i].bias.size()) != l.out.c)
        throw InputError("layer '" + l.name + "': parameter sizes do not match network '" + net_.name + "'");
      w_[i] = torch::from_blob(const_cast<float*>(p[i].weight.data()), weight_shape(l)).clone();
      b_[i] = torch::from_blob(const_cast<float*>(p[i].bias.data()), {l.out.c}).clone();
    }
  }

  std::vector<FloatLayerParams> params() const {
    std::vector<FloatLayerParams> out(net_.layers.size());
    for (std::size_t i = 0; i < net_.layers.size(); ++i) {
      if (!w_[i].defined()) continue;
      const torch::Tensor w = w_[i].detach().contiguous(), b = b_[i].detach().contiguous();
      out[i].weight.assign(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
      out[i].bias.assign(b.data_ptr<float>(), b.data_ptr<float>() + b.numel());
    }
    return out;
  }

  torch::Tensor forward(torch::Tensor x, int k) const {
    for (std::size_t i = 0; i < net_.layers.size(); ++i) {
      const Layer& l = net_.layers[i];
      if (l.kind == LayerKind::MaxPool) {
        x = torch::max_pool2d(x, {l.kernel_h, l.kernel_h}, {l.stride_h, l.stride_h});
        continue;
      }
      const int a = net_.active_out(i, k), c = net_.active_in(i, k);
      const torch::Tensor w = w_[i].narrow(0, 0, a).narrow(1, 0, c), b = b_[i].narrow(0, 0, a);
      if (l.kind == LayerKind::Conv) {
        x = torch::conv2d(x, w, b, {l.stride_h, l.stride_h}, {l.pad_top, l.pad_top});
      } else {
        // CHW flatten: the active channels form a prefix of the full-width features.
        x = torch::linear(x.flatten(1), w, b);
      }
      if (l.relu) x = torch::relu(x);
    }
    return x;
  }

  /// Trainable tensors and their 0/1 masks for one step (undefined mask = train everything).
  struct Param {
    torch::Tensor value, mask;
  };
  std::vector<Param> trainable(int step) const {
    std::vector<Param> ps;
    for (std::size_t i = 0; i < net_.layers.size(); ++i) {
      const Layer& l = net_.layers[i];
      if (!l.has_weights()) continue;
      if (step == 0) {
        ps.push_back({w_[i], {}});
        ps.push_back({b_[i], {}});
        continue;
      }
      const TrainableSlice s = trainable_slice(net_, i, step);
      torch::Tensor wm = torch::zeros_like(w_[i]);
      wm.narrow(0, 0, s.out_end).narrow(1, 0, s.in_end).fill_(1);
      if (s.out_prev > 0 && s.in_prev > 0) wm.narrow(0, 0, s.out_prev).narrow(1, 0, s.in_prev).fill_(0);
      torch::Tensor bm = torch::zeros_like(b_[i]);
      bm.narrow(0, s.bias_begin, s.bias_end - s.bias_begin).fill_(1);
      ps.push_back({w_[i], wm});
      ps.push_back({b_[i], bm});
    }
    return ps;
  }

 private:
  const Network& net_;
  std::vector<torch::Tensor> w_, b_;
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
        torch::Tensor l = torch::nll_loss(torch::log_softmax(model.forward(x, k), 1), y);
        loss = loss.defined() ? loss + l : l;
      }
      loss.backward();
      {
        torch::NoGradGuard no_grad;
        for (const auto& p : params) {
          torch::Tensor g = p.value.mutable_grad();
          if (!g.defined()) continue;
          if (o.weight_decay > 0) g.add_(p.value, o.weight_decay);
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
