// Speed of the integer reference (naive definition vs fast im2col+GEMM) and, when libtorch is
// available, of libtorch's float layers on the same shapes (batch 1; 1 and 2 threads).
// Results and the exact command: docs/int-arithmetic.md. Timings are measurements, not tests.
//
//   layer/<net>/w<k>/<layer>/{int_naive,int_fast,torch_t1,torch_t2}   one layer, one image
//   net/<net>/int<bits>/w<k>/{int_naive,int_fast,torch_t1,torch_t2}   whole network, one image
//   net/<net>/float/w<k>/float_ref                                     host/float_reference.h
//   eval/<net>/all_widths/float_and_int      one image at a time (float_forward + int_forward per width)
//   eval/<net>/all_widths/{float_and_int,float,int}/batch64
//                                            as `rcsim eval` runs: batches of 64 images, every width in
//                                            one call (float_logits_widths, int_logits_widths)
//
// Counters: GMAC/s (multiply-accumulates of the active width per second) and, for whole
// networks, items_per_second = images per second. Rates use CPU time (robust on a shared
// machine) except for torch_t2, which uses wall time: its worker thread's CPU time would not count.
#include <benchmark/benchmark.h>

#include <memory>
#include <stdexcept>
#include <random>
#include <string>
#include <vector>

#include "core/int_arith.h"
#include "core/network_yaml.h"
#include "host/float_reference.h"
#include "host/int_reference.h"

#ifdef RCSIM_BENCH_TORCH
#include <torch/torch.h>
#endif

using namespace rcsim;

namespace {

struct Case {
  QuantizedNetwork qn;
  std::vector<std::int32_t> image;
};

/// A random quantized network (deterministic) and a random image of `bits`-bit values.
Case make_case(const std::string& net_name, int bits) {
  Case c{random_quantized_network(load_network(net_name), bits, 42), {}};
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> d(0, arith::qmax(bits));  // pixels are non-negative
  c.image.resize(c.qn.net.input.size());
  for (auto& v : c.image) v = d(rng);
  return c;
}

void set_macs(benchmark::State& state, std::int64_t macs) {
  state.counters["GMAC/s"] =
      benchmark::Counter(double(macs) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

#ifdef RCSIM_BENCH_TORCH
/// One layer of the float network as libtorch runs it: weights sliced to width k once, outside
/// the timed loop, and made contiguous.
struct TorchLayer {
  LayerKind kind;
  torch::Tensor weight, bias;
  int kernel = 1, stride = 1, pad = 0;
  bool relu = false;
};

std::vector<TorchLayer> torch_layers(const QuantizedNetwork& qn, int k) {
  std::vector<TorchLayer> out;
  torch::manual_seed(0);
  for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
    const Layer& l = qn.net.layers[i];
    TorchLayer t{l.kind, {}, {}, l.kernel_h, l.stride_h, l.pad_top, l.relu};
    const std::int64_t o = qn.net.active_out(i, k), in = qn.net.active_in(i, k);
    if (l.kind == LayerKind::Conv) t.weight = torch::randn({o, in, l.kernel_h, l.kernel_h}) * 0.05;
    if (l.kind == LayerKind::Fc) t.weight = torch::randn({o, in}) * 0.05;
    if (l.has_weights()) t.bias = torch::randn({o}) * 0.05;
    out.push_back(t);
  }
  return out;
}

torch::Tensor torch_layer(const TorchLayer& t, const torch::Tensor& x) {
  torch::Tensor y;
  switch (t.kind) {
    case LayerKind::Conv: y = torch::conv2d(x, t.weight, t.bias, t.stride, t.pad); break;
    case LayerKind::MaxPool: return torch::max_pool2d(x, t.kernel, t.stride, t.pad);
    case LayerKind::Fc: y = torch::linear(x.reshape({1, -1}), t.weight, t.bias); break;
    default: throw std::logic_error("torch_layer: conv, max pool and fc only (chain networks)");
  }
  return t.relu ? torch::relu(y) : y;
}

torch::Tensor torch_input(const QuantizedNetwork& qn, std::size_t i, int k) {
  const Shape3 s = qn.net.in_shape(i, k);
  return qn.net.layers[i].kind == LayerKind::Fc ? torch::rand({1, std::int64_t(s.c)})
                                                : torch::rand({1, std::int64_t(s.c), s.h, s.w});
}
#endif

void register_layers(const std::string& net_name, int k) {
  auto c = std::make_shared<Case>(make_case(net_name, 8));
  const auto outs = int_forward_naive(c->qn, k, c->image);
  for (std::size_t i = 0; i < c->qn.net.layers.size(); ++i) {
    const std::string name = "layer/" + net_name + "/w" + std::to_string(k) + "/" + c->qn.net.layers[i].name + "/";
    auto input = std::make_shared<std::vector<std::int32_t>>(i == 0 ? c->image : outs[i - 1]);
    const std::int64_t macs = c->qn.net.macs(i, k);
    benchmark::RegisterBenchmark((name + "int_naive").c_str(), [=](benchmark::State& st) {
      for (auto _ : st) benchmark::DoNotOptimize(int_layer_forward_naive(c->qn, i, k, *input));
      set_macs(st, macs);
    });
    benchmark::RegisterBenchmark((name + "int_fast").c_str(), [=](benchmark::State& st) {
      for (auto _ : st) benchmark::DoNotOptimize(int_layer_forward(c->qn, i, k, *input));
      set_macs(st, macs);
    });
#ifdef RCSIM_BENCH_TORCH
    for (int threads : {1, 2}) {
      auto* b = benchmark::RegisterBenchmark((name + "torch_t" + std::to_string(threads)).c_str(), [=](benchmark::State& st) {
        torch::NoGradGuard no_grad;
        torch::set_num_threads(threads);
        const auto layers = torch_layers(c->qn, k);
        const torch::Tensor x = torch_input(c->qn, i, k);
        for (auto _ : st) benchmark::DoNotOptimize(torch_layer(layers[i], x));
        set_macs(st, macs);
      });
      if (threads > 1) b->UseRealTime();  // the main thread's CPU time would miss the workers'
    }
#endif
  }
}

void register_network(const std::string& net_name, int bits, int k) {
  auto c = std::make_shared<Case>(make_case(net_name, bits));
  const std::string name = "net/" + net_name + "/int" + std::to_string(bits) + "/w" + std::to_string(k) + "/";
  const std::int64_t macs = c->qn.net.total_macs(k);
  auto finish = [macs](benchmark::State& st) {
    set_macs(st, macs);
    st.SetItemsProcessed(st.iterations());
  };
  benchmark::RegisterBenchmark((name + "int_naive").c_str(), [=](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(int_forward_naive(c->qn, k, c->image));
    finish(st);
  });
  benchmark::RegisterBenchmark((name + "int_fast").c_str(), [=](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(int_forward(c->qn, k, c->image));
    finish(st);
  });
#ifdef RCSIM_BENCH_TORCH
  if (bits != 8) return;  // the float path does not depend on the integer precision
  for (int threads : {1, 2}) {
    auto* b = benchmark::RegisterBenchmark((name + "torch_t" + std::to_string(threads)).c_str(), [=](benchmark::State& st) {
      torch::NoGradGuard no_grad;
      torch::set_num_threads(threads);
      const auto layers = torch_layers(c->qn, k);
      const torch::Tensor x = torch_input(c->qn, 0, k);
      for (auto _ : st) {
        torch::Tensor y = x;
        for (const auto& t : layers) y = torch_layer(t, y);
        benchmark::DoNotOptimize(y);
      }
      finish(st);
    });
    if (threads > 1) b->UseRealTime();
  }
#endif
}

/// The plain C++ float reference (used by the quantizer's calibration), random float weights.
void register_float(const std::string& net_name, int k) {
  auto qn = std::make_shared<QuantizedNetwork>(random_quantized_network(load_network(net_name), 8, 42));
  std::mt19937_64 rng(5);
  std::normal_distribution<float> d(0.0f, 0.05f);
  qn->float_params.resize(qn->net.layers.size());
  for (std::size_t i = 0; i < qn->net.layers.size(); ++i)
    if (qn->net.layers[i].has_weights()) {
      for (std::int64_t j = 0; j < full_weight_count(qn->net.layers[i]); ++j) qn->float_params[i].weight.push_back(d(rng));
      for (int j = 0; j < qn->net.layers[i].out.c; ++j) qn->float_params[i].bias.push_back(d(rng));
    }
  auto image = std::make_shared<std::vector<float>>(qn->net.input.size(), 0.5f);
  const std::int64_t macs = qn->net.total_macs(k);
  benchmark::RegisterBenchmark(("net/" + net_name + "/float/w" + std::to_string(k) + "/float_ref").c_str(),
                               [=](benchmark::State& st) {
                                 for (auto _ : st) benchmark::DoNotOptimize(float_forward(*qn, k, image->data()));
                                 set_macs(st, macs);
                                 st.SetItemsProcessed(st.iterations());
                               });
}

/// What `rcsim eval` does per image (cli/cmd_eval.cpp): quantize once, then the float and the
/// integer reference at every width (images per second = the eval rate of one thread).
void register_eval(const std::string& net_name) {
  auto qn = std::make_shared<QuantizedNetwork>(random_quantized_network(load_network(net_name), 8, 42));
  std::mt19937_64 rng(5);
  std::normal_distribution<float> d(0.0f, 0.05f);
  qn->float_params.resize(qn->net.layers.size());
  for (std::size_t i = 0; i < qn->net.layers.size(); ++i)
    if (qn->net.layers[i].has_weights()) {
      for (std::int64_t j = 0; j < full_weight_count(qn->net.layers[i]); ++j) qn->float_params[i].weight.push_back(d(rng));
      for (int j = 0; j < qn->net.layers[i].out.c; ++j) qn->float_params[i].bias.push_back(d(rng));
    }
  auto image = std::make_shared<std::vector<float>>(qn->net.input.size(), 0.5f);
  benchmark::RegisterBenchmark(("eval/" + net_name + "/all_widths/float_and_int").c_str(), [=](benchmark::State& st) {
    for (auto _ : st) {
      const auto img = quantize_image(*qn, image->data());
      for (int k = 1; k <= qn->net.width_groups; ++k) {
        benchmark::DoNotOptimize(float_forward(*qn, k, image->data()));
        benchmark::DoNotOptimize(int_forward(*qn, k, img));
      }
    }
    st.SetItemsProcessed(st.iterations());
  });
}

/// What `rcsim eval` does per batch (cli/cmd_eval.cpp): 64 images, every width in one call, float
/// and/or integer reference (items_per_second = images per second of one thread).
void register_eval_batch(const std::string& net_name, bool do_float, bool do_int) {
  constexpr std::size_t kBatch = 64;
  auto qn = std::make_shared<QuantizedNetwork>(random_quantized_network(load_network(net_name), 8, 42));
  std::mt19937_64 rng(5);
  std::normal_distribution<float> d(0.0f, 0.05f);
  qn->float_params.resize(qn->net.layers.size());
  for (std::size_t i = 0; i < qn->net.layers.size(); ++i)
    if (qn->net.layers[i].has_weights()) {
      for (std::int64_t j = 0; j < full_weight_count(qn->net.layers[i]); ++j) qn->float_params[i].weight.push_back(d(rng));
      for (int j = 0; j < qn->net.layers[i].out.c; ++j) qn->float_params[i].bias.push_back(d(rng));
    }
  const std::size_t size = std::size_t(qn->net.input.size());
  auto images = std::make_shared<std::vector<float>>(size * kBatch);
  std::uniform_real_distribution<float> px(0.0f, 1.0f);
  for (float& v : *images) v = px(rng);
  auto q = std::make_shared<std::vector<std::int32_t>>();
  for (std::size_t b = 0; b < kBatch; ++b) {
    const auto img = quantize_image(*qn, images->data() + b * size);
    q->insert(q->end(), img.begin(), img.end());
  }
  std::vector<int> widths;
  for (int k = 1; k <= qn->net.width_groups; ++k) widths.push_back(k);
  const std::string what = do_float && do_int ? "float_and_int" : do_float ? "float" : "int";
  benchmark::RegisterBenchmark(("eval/" + net_name + "/all_widths/" + what + "/batch64").c_str(), [=](benchmark::State& st) {
    for (auto _ : st) {
      if (do_float) benchmark::DoNotOptimize(float_logits_widths(*qn, widths, images->data(), kBatch));
      if (do_int) benchmark::DoNotOptimize(int_logits_widths(*qn, widths, q->data(), kBatch));
    }
    st.SetItemsProcessed(st.iterations() * std::int64_t(kBatch));
  });
}

}  // namespace

int main(int argc, char** argv) {
  for (const char* net : {"mnist_lenet", "cifar10_quick"}) {
    register_eval(net);
    register_eval_batch(net, true, true);
    register_eval_batch(net, true, false);
    register_eval_batch(net, false, true);
  }
  for (const char* net : {"mnist_lenet", "cifar10_quick"})
    for (int k : {4, 1}) register_layers(net, k);
  for (const char* net : {"mnist_lenet", "cifar10_quick"})
    for (int bits : {8, 16})
      for (int k : {4, 1}) register_network(net, bits, k);
  for (const char* net : {"mnist_lenet", "cifar10_quick"})
    for (int k : {4, 1}) register_float(net, k);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
