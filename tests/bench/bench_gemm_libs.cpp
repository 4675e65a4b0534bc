// Candidate int8 GEMMs for fast mode's outputs (issue 13), on the output GEMMs of shipped
// networks: the host's int16 kernel (host/int_gemm.h, what fast mode runs), oneDNN's s8×s8→s32
// matmul and gemmlowp's u8×u8→s32 GEMM with offsets (the int8 values shifted by 128).
// XNNPACK's Debian snapshot (2022-02) offers only requantizing int8 operators (qs8/qu8 output),
// no int32 accumulators, so it cannot give fast mode's exact accumulators and is not measured.
// Every candidate is first checked for exactness against the naive int32 sum on random int8
// operands including −128 and 127; a mismatch makes its benchmark an error row.
//
//   gemm/<shape>/{int_gemm,onednn,gemmlowp}   M output pixels × K reduction × N output channels
//   gemm/<shape>/onednn_wt_xt_{own,any}        fast mode's formulation: W^T [N][K] × X^T [K][M]
//                                              → [N][M], with a primitive made for the shape
//                                              (own) or one for any shape (runtime dimensions)
//   onednn_s32_rounding/K=<k>                  counters only: whether one s8×s8 matmul of k
//                                              products of (−127)·(−127) comes out exact (oneDNN
//                                              writes s32 through float: not beyond 2^24)
//
// Counters: GMAC/s (CPU time). Timings are measurements, not tests.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gemmlowp/public/gemmlowp.h>
#include <oneapi/dnnl/dnnl.hpp>

#include "host/int_gemm.h"

namespace {

struct Shape {
  const char* name;
  int M, K, N;
};

// M = output pixels, K = reduction, N = output channels, from `rcsim info --net NET` at full width.
const Shape kShapes[] = {
    {"mnist_lenet_conv2", 64, 150, 16},        {"cifar10_quick_conv1", 1024, 75, 32},
    {"cifar10_quick_conv2", 256, 800, 32},     {"cifar10_quick_conv3", 64, 800, 64},
    {"resnet18_layer2_conv", 784, 1152, 128},  {"resnet18_layer4_conv", 49, 4608, 512},
    {"mobilenet_v2_pointwise", 784, 32, 192},  {"mobilenet_v2_expand1", 12544, 16, 96},
    {"fc_1024x10", 1, 1024, 10},
};

struct Operands {
  int M, K, N, Kp, Mp;
  std::vector<std::int8_t> x8, w8;           // X [M][K], W^T [N][K]
  std::vector<std::int16_t> x16, w16;        // padded [Mp][Kp], [N][Kp] (host kernel layout)
  std::vector<std::int32_t> bias, expect;    // expect [M][N] = bias[n] + Σ_k W[n][k]·X[m][k]
};

Operands make(const Shape& s) {
  Operands o{s.M, s.K, s.N, rcsim::intgemm::round_up(s.K, rcsim::intgemm::kColAlign),
             rcsim::intgemm::round_up(s.M, rcsim::intgemm::kRowAlign), {}, {}, {}, {}, {}, {}};
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> d(-128, 127);
  auto v8 = [&] {
    const int r = d(rng);
    return std::int8_t(r < -120 ? -128 : r > 120 ? 127 : r);  // the extremes often
  };
  o.x8.resize(std::size_t(s.M) * s.K);
  o.w8.resize(std::size_t(s.N) * s.K);
  for (auto& v : o.x8) v = v8();
  for (auto& v : o.w8) v = v8();
  o.x16.assign(std::size_t(o.Mp) * o.Kp, 0);
  o.w16.assign(std::size_t(s.N) * o.Kp, 0);
  for (int m = 0; m < s.M; ++m)
    for (int k = 0; k < s.K; ++k) o.x16[std::size_t(m) * o.Kp + k] = o.x8[std::size_t(m) * s.K + k];
  for (int n = 0; n < s.N; ++n)
    for (int k = 0; k < s.K; ++k) o.w16[std::size_t(n) * o.Kp + k] = o.w8[std::size_t(n) * s.K + k];
  o.bias.resize(std::size_t(s.N));
  for (auto& b : o.bias) b = d(rng) * 1000;
  o.expect.resize(std::size_t(s.M) * s.N);
  for (int m = 0; m < s.M; ++m)
    for (int n = 0; n < s.N; ++n) {
      std::int64_t acc = o.bias[std::size_t(n)];
      for (int k = 0; k < s.K; ++k) acc += std::int64_t(o.x8[std::size_t(m) * s.K + k]) * o.w8[std::size_t(n) * s.K + k];
      o.expect[std::size_t(m) * s.N + n] = std::int32_t(acc);
    }
  return o;
}

void set_macs(benchmark::State& state, const Operands& o) {
  state.counters["GMAC/s"] = benchmark::Counter(double(o.M) * o.K * o.N * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

/// The host kernel as fast mode calls it: C^T = W·X^T ([N][M]), then transposed to [M][N].
void run_int_gemm(const Operands& o, std::vector<std::int32_t>& out) {
  std::vector<std::int32_t> y(std::size_t(o.N) * o.M);
  if (o.M == 1)
    rcsim::intgemm::gemv(o.N, o.K, o.w16.data(), std::size_t(o.Kp), o.x16.data(), o.bias.data(), y.data());
  else
    rcsim::intgemm::gemm_abt(o.N, o.M, o.K, o.w16.data(), std::size_t(o.Kp), o.x16.data(), std::size_t(o.Kp),
                             o.bias.data(), y.data(), std::size_t(o.M));
  for (int n = 0; n < o.N; ++n)
    for (int m = 0; m < o.M; ++m) out[std::size_t(m) * o.N + n] = y[std::size_t(n) * o.M + m];
}

void BM_int_gemm(benchmark::State& state, Shape s) {
  const Operands o = make(s);
  std::vector<std::int32_t> out(o.expect.size());
  run_int_gemm(o, out);
  if (out != o.expect) return state.SkipWithError("int_gemm: not exact");
  for (auto _ : state) {
    run_int_gemm(o, out);
    benchmark::DoNotOptimize(out.data());
  }
  set_macs(state, o);
}

/// oneDNN matmul: src X [M][K] s8, weights W [K][N] s8 read from the [N][K] rows (format "ba"),
/// dst [M][N] s32; the bias is added afterwards in int32 (oneDNN adds a bias in float).
void BM_onednn(benchmark::State& state, Shape s) {
  const Operands o = make(s);
  using namespace dnnl;
  engine eng(engine::kind::cpu, 0);
  stream strm(eng);
  memory::desc src_md({o.M, o.K}, memory::data_type::s8, memory::format_tag::ab);
  memory::desc wei_md({o.K, o.N}, memory::data_type::s8, memory::format_tag::ba);
  memory::desc dst_md({o.M, o.N}, memory::data_type::s32, memory::format_tag::ab);
  matmul prim(matmul::primitive_desc(matmul::desc(src_md, wei_md, dst_md), eng));
  std::vector<std::int32_t> out(o.expect.size());
  memory src(src_md, eng, const_cast<std::int8_t*>(o.x8.data()));
  memory wei(wei_md, eng, const_cast<std::int8_t*>(o.w8.data()));
  memory dst(dst_md, eng, out.data());
  auto run = [&] {
    prim.execute(strm, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DST, dst}});
    strm.wait();
    for (int m = 0; m < o.M; ++m)
      for (int n = 0; n < o.N; ++n) out[std::size_t(m) * o.N + n] += o.bias[std::size_t(n)];
  };
  run();
  if (out != o.expect) return state.SkipWithError("onednn: not exact");
  for (auto _ : state) {
    run();
    benchmark::DoNotOptimize(out.data());
  }
  set_macs(state, o);
}

/// gemmlowp: (X + 128)(W + 128) with offsets −128 on both sides gives Σ X·W exactly (int32),
/// the bias added afterwards. One thread.
void BM_gemmlowp(benchmark::State& state, Shape s) {
  const Operands o = make(s);
  std::vector<std::uint8_t> xu(o.x8.size()), wu(o.w8.size());
  for (std::size_t i = 0; i < xu.size(); ++i) xu[i] = std::uint8_t(o.x8[i] + 128);
  for (std::size_t i = 0; i < wu.size(); ++i) wu[i] = std::uint8_t(o.w8[i] + 128);
  gemmlowp::GemmContext ctx;
  ctx.set_max_num_threads(1);
  std::vector<std::int32_t> out(o.expect.size());
  const std::tuple<> no_output_stages;
  auto run = [&] {
    gemmlowp::MatrixMap<const std::uint8_t, gemmlowp::MapOrder::RowMajor> lhs(xu.data(), o.M, o.K);
    gemmlowp::MatrixMap<const std::uint8_t, gemmlowp::MapOrder::ColMajor> rhs(wu.data(), o.K, o.N);
    gemmlowp::MatrixMap<std::int32_t, gemmlowp::MapOrder::RowMajor> res(out.data(), o.M, o.N);
    gemmlowp::GemmWithOutputPipeline<std::uint8_t, std::int32_t, gemmlowp::DefaultL8R8BitDepthParams>(
        &ctx, lhs, rhs, &res, -128, -128, no_output_stages);
    for (int m = 0; m < o.M; ++m)
      for (int n = 0; n < o.N; ++n) out[std::size_t(m) * o.N + n] += o.bias[std::size_t(n)];
  };
  run();
  if (out != o.expect) return state.SkipWithError("gemmlowp: not exact");
  for (auto _ : state) {
    run();
    benchmark::DoNotOptimize(out.data());
  }
  set_macs(state, o);
}

/// Fast mode's formulation (accel/fast_gemm.h): dst [N][M] = W^T [N][K] × X^T [K][M], both s8,
/// the bias added afterwards, with a primitive made for this shape or the one for any shape.
void BM_onednn_wt_xt(benchmark::State& state, Shape s, bool any_shape) {
  const Operands o = make(s);
  using namespace dnnl;
  using dt = memory::data_type;
  engine eng(engine::kind::cpu, 0);
  stream strm(eng);
  std::vector<std::int8_t> xt(o.x8.size());  // X^T [K][M]
  for (int m = 0; m < o.M; ++m)
    for (int k = 0; k < o.K; ++k) xt[std::size_t(k) * o.M + m] = o.x8[std::size_t(m) * o.K + k];
  const memory::dim R = DNNL_RUNTIME_DIM_VAL;
  auto plain = [&](memory::dim rows, memory::dim cols, dt type) {
    return any_shape ? memory::desc({R, R}, type, memory::dims{R, 1}) : memory::desc({rows, cols}, type, memory::dims{cols, 1});
  };
  matmul prim(matmul::primitive_desc(matmul::desc(plain(o.N, o.K, dt::s8), plain(o.K, o.M, dt::s8), plain(o.N, o.M, dt::s32)), eng));
  std::vector<std::int32_t> y(std::size_t(o.N) * o.M), out(o.expect.size());
  memory a({{o.N, o.K}, dt::s8, memory::dims{o.K, 1}}, eng, const_cast<std::int8_t*>(o.w8.data()));
  memory b({{o.K, o.M}, dt::s8, memory::dims{o.M, 1}}, eng, xt.data());
  memory c({{o.N, o.M}, dt::s32, memory::dims{o.M, 1}}, eng, y.data());
  auto run = [&] {
    prim.execute(strm, {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, c}});
    strm.wait();
  };
  run();
  for (int m = 0; m < o.M; ++m)
    for (int n = 0; n < o.N; ++n) out[std::size_t(m) * o.N + n] = y[std::size_t(n) * o.M + m] + o.bias[std::size_t(n)];
  if (out != o.expect) return state.SkipWithError("onednn W^T X^T: not exact");
  for (auto _ : state) {
    run();
    benchmark::DoNotOptimize(y.data());
  }
  set_macs(state, o);
}

/// One s8×s8→s32 matmul (1×K × K×1) of K products (−127)·(−127): counters `exact` (1 or 0) and
/// `error` (oneDNN's result − the exact sum). Beyond 2^24 an odd sum is not a float.
void BM_onednn_s32_rounding(benchmark::State& state, int K) {
  using namespace dnnl;
  using dt = memory::data_type;
  engine eng(engine::kind::cpu, 0);
  stream strm(eng);
  std::vector<std::int8_t> a(std::size_t(K), -127), b(std::size_t(K), -127);
  std::int32_t y = 0;
  memory::desc am({1, K}, dt::s8, memory::dims{K, 1}), bm({K, 1}, dt::s8, memory::dims{1, 1}), cm({1, 1}, dt::s32, memory::dims{1, 1});
  matmul prim(matmul::primitive_desc(matmul::desc(am, bm, cm), eng));
  memory ma(am, eng, a.data()), mb(bm, eng, b.data()), mc(cm, eng, &y);
  for (auto _ : state) {
    prim.execute(strm, {{DNNL_ARG_SRC, ma}, {DNNL_ARG_WEIGHTS, mb}, {DNNL_ARG_DST, mc}});
    strm.wait();
  }
  const std::int64_t exact = std::int64_t(K) * 127 * 127;
  state.counters["exact"] = y == exact ? 1 : 0;
  state.counters["error"] = double(std::int64_t(y) - exact);
}

const bool registered = [] {
  for (const Shape& s : kShapes) {
    const std::string base = std::string("gemm/") + s.name + "/";
    benchmark::RegisterBenchmark((base + "int_gemm").c_str(), BM_int_gemm, s);
    benchmark::RegisterBenchmark((base + "onednn").c_str(), BM_onednn, s);
    benchmark::RegisterBenchmark((base + "gemmlowp").c_str(), BM_gemmlowp, s);
    if (s.M > 1) {
      benchmark::RegisterBenchmark((base + "onednn_wt_xt_own").c_str(), BM_onednn_wt_xt, s, false);
      benchmark::RegisterBenchmark((base + "onednn_wt_xt_any").c_str(), BM_onednn_wt_xt, s, true);
    }
  }
  for (const int K : {512, 1025, 2047, 4095})
    benchmark::RegisterBenchmark(("onednn_s32_rounding/K=" + std::to_string(K)).c_str(), BM_onednn_s32_rounding, K)
        ->Iterations(1);
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
