// Fast mode's output GEMM (accel/fast_gemm.h) against the plain int32 sum, on the values where a
// library int8 kernel could go wrong: every operand at −128 or 127 over a reduction long enough
// that the sums leave float's exact range (> 2^24), windows in and out of the padding, int16
// weights (which must take the int16 kernel), activations outside the int8 range, and pointwise
// convs whose operands are the converted input itself.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

#include "accel/fast_gemm.h"
#include "accel/layer_operands.h"
#include "core/errors.h"
#include "host/int_gemm.h"

namespace rcsim {
namespace {

/// Where a conv job reads and writes: its channel planes start at plane `c0` (a channel group's
/// job) and it computes output rows [oy_begin, oy_end) (a row tile's job; −1: to the last row).
struct JobPart {
  int c0 = 0;
  int oy_begin = 0, oy_end = -1;
};

/// A conv job over `ch` planes of in_h×in_w with a kh×kw window, stride `st`, padding `pad`,
/// N output channels; weights drawn by `w_of`.
template <class WeightOf>
GemmJob conv_job(int ch, int in_h, int in_w, int kh, int kw, int pad, int N, WeightOf w_of, int st = 1,
                 JobPart part = {}) {
  GemmJob job;
  const int out_w = (in_w + 2 * pad - kw) / st + 1;
  const int oy_end = part.oy_end >= 0 ? part.oy_end : (in_h + 2 * pad - kh) / st + 1;
  const int out_h = oy_end - part.oy_begin;
  job.g = {std::int64_t(out_h) * out_w, std::int64_t(ch) * kh * kw, N};
  job.x.in_h = in_h, job.x.in_w = in_w;
  for (int c = 0; c < ch; ++c)
    for (int ky = 0; ky < kh; ++ky)
      for (int kx = 0; kx < kw; ++kx) {
        job.x.base.push_back((part.c0 + c) * in_h * in_w);
        job.x.dy.push_back(std::int16_t(ky - pad));
        job.x.dx.push_back(std::int16_t(kx - pad));
      }
  auto oy0 = std::make_shared<std::vector<std::int32_t>>(), ox0 = std::make_shared<std::vector<std::int32_t>>();
  for (int oy = part.oy_begin; oy < oy_end; ++oy)
    for (int ox = 0; ox < out_w; ++ox) oy0->push_back(oy * st), ox0->push_back(ox * st);
  job.x.oy0 = oy0, job.x.ox0 = ox0;
  // Stored as an int8 network stores them when every weight fits int8 (the oneDNN kernel reads
  // only such storage), else int16; a stride beyond K, as a narrow width's view of the network's
  // tensor has.
  const std::int64_t stride = intgemm::round_up(int(job.g.K), intgemm::kColAlign) + 3;
  std::vector<std::int16_t> w(std::size_t(N * stride), 0);
  bool fits8 = true;
  for (std::int64_t n = 0; n < N; ++n)
    for (std::int64_t k = 0; k < job.g.K; ++k) {
      const int v = int(w_of(n, k));
      w[std::size_t(n * stride + k)] = std::int16_t(v);
      fits8 = fits8 && v >= -128 && v <= 127;
    }
  if (fits8)
    job.w = JobWeights::own(std::vector<std::int8_t>(w.begin(), w.end()), stride, job.g.K, N);
  else
    job.w = JobWeights::own(std::move(w), stride, job.g.K, N);
  for (int n = 0; n < N; ++n) job.bias.push_back(n % 2 ? 2147483000 : -2147483000 + n);  // wraps on purpose
  // Where the weights lie in the SRAM (slice_job keeps its columns' part): one group.
  job.rows.row_group.assign(std::size_t(job.g.K), 0);
  for (std::int64_t k = 0; k < job.g.K; ++k) job.rows.row_slot.push_back(std::int32_t(k));
  job.rows.col_group.assign(std::size_t(N), 0);
  for (int n = 0; n < N; ++n) job.out_pos.push_back(n);
  return job;
}

std::vector<std::int32_t> naive(const GemmJob& job, const std::vector<std::int32_t>& in) {
  const std::int64_t M = job.g.M, K = job.g.K, N = job.g.N;
  std::vector<std::int32_t> out(std::size_t(M * N));
  for (std::int64_t m = 0; m < M; ++m)
    for (std::int64_t n = 0; n < N; ++n) {
      std::uint32_t acc = std::uint32_t(job.bias[std::size_t(n)]);
      for (std::int64_t k = 0; k < K; ++k) acc += std::uint32_t(job.W(k, n) * job.X(in, m, k));
      out[std::size_t(m * N + n)] = std::int32_t(acc);
    }
  return out;
}

/// The first differing accumulator, for a readable failure.
::testing::AssertionResult same(const std::vector<std::int32_t>& got, const std::vector<std::int32_t>& want) {
  if (got.size() != want.size()) return ::testing::AssertionFailure() << "sizes " << got.size() << " vs " << want.size();
  for (std::size_t i = 0; i < got.size(); ++i)
    if (got[i] != want[i])
      return ::testing::AssertionFailure() << "accumulator " << i << ": " << got[i] << " instead of " << want[i];
  return ::testing::AssertionSuccess();
}

/// outputs() (channel-major sums) with the bias added, as [M][N] accumulators for naive().
std::vector<std::int32_t> run(const FastGemm& g, const GemmJob& job, const std::vector<std::int32_t>& in) {
  const std::int64_t M = job.g.M, N = job.g.N;
  std::vector<std::int32_t> y(std::size_t(M * N), 0), acc(std::size_t(M * N));
  g.outputs(job, in, y.data());
  for (std::int64_t m = 0; m < M; ++m)
    for (std::int64_t n = 0; n < N; ++n)
      acc[std::size_t(m * N + n)] = std::int32_t(std::uint32_t(y[std::size_t(n * M + m)]) + std::uint32_t(job.bias[std::size_t(n)]));
  return acc;
}

/// The job's GEMM with its outputs as dense as they come (ld = M).
FastGemm gemm(const GemmJob& job) { return FastGemm(job, job.g.M); }

TEST(FastGemm, ExtremeInt8OperandsBeyondFloatRangeAreExact) {
  // K = 512·9 = 4608: |Σ| up to 4608·128·128 ≈ 7.5e7 > 2^24; odd products keep the sums odd.
  const GemmJob job = conv_job(512, 5, 5, 3, 3, 1, 24, [](std::int64_t n, std::int64_t k) {
    return (n + k) % 5 == 0 ? 127 : n % 3 == 0 ? -127 : -128;
  });
  std::vector<std::int32_t> in(512 * 25);
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = i % 7 == 0 ? 127 : -127;
  const FastGemm g(job, job.g.M);
  EXPECT_EQ(std::string(g.kernel()), fast_gemm_uses_onednn() ? "onednn" : "int16");
  EXPECT_TRUE(same(run(g, job, in), naive(job, in)));
}

TEST(FastGemm, RandomInt8WithPaddingIsExact) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> d(-128, 127);
  const GemmJob job = conv_job(7, 9, 6, 5, 3, 2, 13, [&](std::int64_t, std::int64_t) { return d(rng); });
  std::vector<std::int32_t> in(7 * 9 * 6);
  for (auto& v : in) v = d(rng);
  EXPECT_TRUE(same(run(gemm(job), job, in), naive(job, in)));
}

TEST(FastGemm, ChannelRunsLandAtTheLeadingDimensionAndTheGapsStayUntouched) {
  // A row tile's outputs go inside the node's planes: channel n's run at y + n·ld. One reduction
  // chunk (K = 63, written in place) and two (K = 720, the second added from scratch), every
  // kernel (oneDNN, int16 for an int16 weight, direct for N < 4), oneDNN's shared any-shape
  // primitive (N·K < 64 KB) and one of the job's own (K = 720, N = 96); the values between the
  // runs keep what they held.
  std::mt19937 rng(13);
  std::uniform_int_distribution<int> d(-128, 127);
  for (const int ch : {7, 80})
    for (const int N : {13, 2, 96})
      for (const bool int16_weight : {false, true}) {
        const GemmJob job = conv_job(ch, 9, 6, 3, 3, 1, N, [&](std::int64_t n, std::int64_t k) {
          return int16_weight && n == 0 && k == 0 ? 300 : d(rng);
        });
        std::vector<std::int32_t> in(std::size_t(ch) * 54);
        for (auto& v : in) v = d(rng);
        const std::int64_t M = job.g.M, ld = M + 17;
        const FastGemm g(job, ld);
        constexpr std::int32_t kUntouched = 0x5a5a5a5a;
        std::vector<std::int32_t> y(std::size_t(N * ld), kUntouched);
        g.outputs(job, in, y.data());
        const std::vector<std::int32_t> want = naive(job, in);
        for (std::int64_t n = 0; n < N; ++n) {
          for (std::int64_t m = 0; m < M; ++m)
            ASSERT_EQ(std::uint32_t(y[std::size_t(n * ld + m)]) + std::uint32_t(job.bias[std::size_t(n)]),
                      std::uint32_t(want[std::size_t(m * N + n)]))
                << ch << " channels, N " << N << ", int16 weight " << int16_weight << ": pixel " << m << ", channel " << n;
          for (std::int64_t m = M; m < ld; ++m) ASSERT_EQ(y[std::size_t(n * ld + m)], kUntouched) << "gap of channel " << n;
        }
      }
}

TEST(FastGemm, StridedWindowsWithPaddingAreExact) {
  std::mt19937 rng(4);
  std::uniform_int_distribution<int> d(-128, 127);
  for (int st : {2, 3}) {
    const GemmJob job = conv_job(5, 11, 8, 7, 3, 3, 9, [&](std::int64_t, std::int64_t) { return d(rng); }, st);
    std::vector<std::int32_t> in(5 * 11 * 8);
    for (auto& v : in) v = d(rng);
    EXPECT_TRUE(same(run(gemm(job), job, in), naive(job, in))) << "stride " << st;
  }
}

TEST(FastGemm, FewOutputChannelsDirectSumIsExact) {
  // Depthwise-like jobs (N < 4) take the direct window sum, int8 and int16 values, strides 1 and 2.
  std::mt19937 rng(6);
  std::uniform_int_distribution<int> d16(-32768, 32767);
  for (int st : {1, 2})
    for (int N : {1, 3}) {
      const GemmJob job = conv_job(1, 9, 7, 3, 3, 1, N, [&](std::int64_t, std::int64_t) { return d16(rng); }, st);
      std::vector<std::int32_t> in(9 * 7);
      for (auto& v : in) v = d16(rng);
      EXPECT_TRUE(same(run(gemm(job), job, in), naive(job, in))) << "stride " << st << ", N " << N;
    }
}

// The operand gather (X^T rows written straight from the input planes: one run per reduction
// row for a unit-stride conv whose output is as wide as its input, one line per output row
// otherwise) against the per-element definition, on the shapes where the run's ends and the
// padded columns move: kernels wider than the plane, row tiles (first and last rows of the plane
// or neither), a channel group's planes in the middle of the input, strides, 1×1 windows.
TEST(FastGemm, GatheredOperandsMatchTheWindowDefinitionOnOddShapes) {
  std::mt19937 rng(8);
  std::uniform_int_distribution<int> d(-128, 127);
  auto w = [&](std::int64_t, std::int64_t) { return d(rng); };
  struct Case {
    int ch, in_h, in_w, kh, kw, pad, N, st;
    JobPart part;
    const char* what;
  };
  const Case cases[] = {
      {6, 8, 8, 5, 5, 2, 8, 1, {}, "same 5x5"},
      {3, 3, 3, 7, 7, 3, 5, 1, {}, "7x7 window over a 3x3 plane"},
      {4, 1, 9, 3, 3, 1, 4, 1, {}, "one-row plane"},
      {5, 10, 7, 5, 5, 2, 6, 1, {0, 0, 4}, "row tile at the top"},
      {5, 10, 7, 5, 5, 2, 6, 1, {0, 3, 7}, "row tile in the middle"},
      {5, 10, 7, 5, 5, 2, 6, 1, {0, 6, -1}, "row tile at the bottom"},
      {3, 9, 9, 3, 3, 1, 7, 1, {2, 0, -1}, "channel group (planes 2..4 of 6)"},
      {3, 9, 9, 3, 3, 1, 7, 1, {2, 4, 9}, "channel group, row tile"},
      {8, 6, 5, 1, 1, 0, 9, 1, {}, "1x1"},
      {4, 9, 9, 3, 3, 1, 5, 2, {}, "stride 2, same padding"},
      {4, 9, 11, 5, 5, 1, 5, 1, {0, 2, 6}, "output narrower than the plane, row tile"},
  };
  for (const Case& c : cases) {
    const GemmJob job = conv_job(c.ch, c.in_h, c.in_w, c.kh, c.kw, c.pad, c.N, w, c.st, c.part);
    std::vector<std::int32_t> in(std::size_t((c.part.c0 + c.ch + 1) * c.in_h * c.in_w));
    for (auto& v : in) v = d(rng);
    const FastGemm g(job, job.g.M);
    EXPECT_EQ(std::string(g.kernel()), fast_gemm_uses_onednn() ? "onednn" : "int16") << c.what;
    EXPECT_TRUE(same(run(g, job, in), naive(job, in))) << c.what;
  }
}

// The operand scratch keeps what an earlier, larger job wrote beyond the current job's rows; a job
// reads only its own rows, so one of K = 600 (two chunks of 300) after one that filled the scratch
// with extreme operands stays exact.
TEST(FastGemm, StaleOperandRowsBeyondTheReductionAddNothing) {
  std::mt19937 rng(9);
  std::uniform_int_distribution<int> d(-128, 127);
  const GemmJob big = conv_job(64, 8, 8, 5, 5, 2, 8, [](std::int64_t, std::int64_t) { return 127; });
  const std::vector<std::int32_t> big_in(64 * 64, 127);  // operands 255
  EXPECT_TRUE(same(run(gemm(big), big, big_in), naive(big, big_in)));
  const GemmJob job = conv_job(24, 8, 8, 5, 5, 2, 6, [&](std::int64_t, std::int64_t) { return d(rng); });
  std::vector<std::int32_t> in(24 * 64);
  for (auto& v : in) v = d(rng);
  EXPECT_TRUE(same(run(gemm(job), job, in), naive(job, in)));
}

TEST(FastGemm, PointwiseConvsReadTheConvertedInputAsTheirOperands) {
  // A 1×1 conv over its whole input reads the input planes as X^T's rows (no gather). Reduction
  // lengths off the VNNI group of 4 and over one chunk (K = 700: two chunks of 350 rows), each
  // after a job that left 127s in the scratch beyond the input; a job reading
  // planes from the second on (a group's) and a row tile still gather.
  std::mt19937 rng(12);
  std::uniform_int_distribution<int> d(-128, 127);
  for (const int K : {1, 13, 700}) {
    const GemmJob big = conv_job(64, 8, 8, 5, 5, 2, 8, [](std::int64_t, std::int64_t) { return 127; });
    const std::vector<std::int32_t> big_in(64 * 64, 127);
    EXPECT_TRUE(same(run(gemm(big), big, big_in), naive(big, big_in)));
    std::vector<std::int32_t> in(std::size_t(K + 1) * 42);
    for (auto& v : in) v = d(rng);
    auto w = [&](std::int64_t, std::int64_t) { return d(rng); };
    for (const GemmJob& job : {conv_job(K, 6, 7, 1, 1, 0, 9, w), conv_job(K, 6, 7, 1, 1, 0, 9, w, 1, JobPart{1}),
                               conv_job(K, 6, 7, 1, 1, 0, 9, w, 1, JobPart{0, 2, 5})})
      EXPECT_TRUE(same(run(gemm(job), job, in), naive(job, in))) << "K " << K << ", M " << job.g.M;
  }
}

TEST(FastGemm, Int16WeightsTakeTheInt16Kernel) {
  const GemmJob job = conv_job(3, 6, 6, 3, 3, 1, 5, [](std::int64_t n, std::int64_t k) { return (n * 977 + k * 131) % 60000 - 30000; });
  std::vector<std::int32_t> in(3 * 36);
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = std::int32_t(i * 911 % 65536) - 32768;
  const FastGemm g(job, job.g.M);
  EXPECT_EQ(std::string(g.kernel()), "int16");
  EXPECT_TRUE(same(run(g, job, in), naive(job, in)));
}

TEST(FastGemm, Int16ActivationsWithInt8WeightsStayExact) {
  const GemmJob job = conv_job(4, 5, 5, 3, 3, 1, 6, [](std::int64_t n, std::int64_t k) { return int((n + k) % 256) - 128; });
  std::vector<std::int32_t> in(4 * 25, 100);
  in[7] = 20000;  // leaves the int8 range: this image falls back to the int16 kernel
  EXPECT_TRUE(same(run(gemm(job), job, in), naive(job, in)));
}

TEST(JobWeights, SliceIsAViewOfItsParentsColumns) {
  std::mt19937 rng(8);
  std::uniform_int_distribution<int> d(-128, 127);
  const GemmJob job = conv_job(4, 8, 8, 3, 3, 1, 12, [&](std::int64_t, std::int64_t) { return d(rng); });
  const GemmJob t = slice_job(job, 16, 48, 3, 9);
  // The same storage (no copy), shifted by three columns.
  EXPECT_EQ(t.w.storage(), job.w.storage());
  EXPECT_EQ(t.w.N(), 6);
  EXPECT_EQ(t.w.K(), job.g.K);
  for (std::int64_t n = 0; n < 6; ++n)
    for (std::int64_t k = 0; k < job.g.K; ++k) ASSERT_EQ(t.w(k, n), job.w(k, n + 3)) << n << " " << k;
  // Another row tile of the same columns reads the same bytes; another column range does not.
  ASSERT_TRUE(t.w.int8_storage());
  EXPECT_EQ(slice_job(job, 0, 16, 3, 9).w.data8(), t.w.data8());
  EXPECT_NE(slice_job(job, 0, 16, 4, 9).w.data8(), t.w.data8());
}

TEST(JobWeights, Int8StorageWidensOnlyForTheInt16Kernels) {
  // [2][16]: K = 3 of a stride 16; int8 storage reads back its values, and the int16 form is
  // zero beyond K.
  std::vector<std::int8_t> v(32, 0);
  v[0] = -128, v[1] = 5, v[2] = 127, v[16] = 1, v[17] = -1, v[18] = 0;
  const JobWeights w = JobWeights::own(v, 16, 3, 2);
  EXPECT_TRUE(w.int8_storage());
  EXPECT_TRUE(w.fits_int8());
  EXPECT_EQ(w(0, 0), -128);
  EXPECT_EQ(w(2, 0), 127);
  EXPECT_EQ(w(1, 1), -1);
  EXPECT_EQ(w.owned_bytes(), 32u);
  const std::int16_t* p = w.padded16();
  EXPECT_EQ(w.padded_stride(), 16);
  EXPECT_EQ(p[0], -128);
  EXPECT_EQ(p[2], 127);
  EXPECT_EQ(p[16 + 1], -1);
  EXPECT_EQ(w.columns(1, 2).padded16(), p + 16);  // a slice's int16 form is its parent's
}

TEST(FastGemm, RowTilesAndColumnRangesReadTheJobsWeightsInPlace) {
  // Nothing is packed: every GEMM over a job's columns, row tile or column range, reads the
  // job's int8 storage where it lies (a narrower width's view of the network's tensor likewise).
  std::mt19937 rng(9);
  std::uniform_int_distribution<int> d(-128, 127);
  const GemmJob job = conv_job(6, 8, 8, 3, 3, 1, 16, [&](std::int64_t, std::int64_t) { return d(rng); });
  std::vector<std::int32_t> in(6 * 64);
  for (auto& v : in) v = d(rng);
  const GemmJob top = slice_job(job, 0, 32, 0, 16), bottom = slice_job(job, 32, 64, 0, 16);
  const GemmJob right = slice_job(job, 0, 64, 8, 16);
  const FastGemm g_top(top, 64), g_bottom(bottom, 64), g_right(right, 64);
  // The tiles write into one node-sized output, as the controller has them.
  std::vector<std::int32_t> y(std::size_t(16 * 64), 0);
  g_top.outputs(top, in, y.data());
  g_bottom.outputs(bottom, in, y.data() + 32);
  const std::vector<std::int32_t> want = naive(job, in);
  for (std::int64_t n = 0; n < 16; ++n)
    for (std::int64_t m = 0; m < 64; ++m)
      ASSERT_EQ(std::uint32_t(y[std::size_t(n * 64 + m)]) + std::uint32_t(job.bias[std::size_t(n)]),
                std::uint32_t(want[std::size_t(m * 16 + n)]))
          << "pixel " << m << ", channel " << n;
  EXPECT_TRUE(same(run(g_right, right, in), naive(right, in)));
  if (fast_gemm_uses_onednn()) {
    EXPECT_EQ(g_top.onednn_weights(), job.w.data8());
    EXPECT_EQ(g_bottom.onednn_weights(), job.w.data8());
    EXPECT_EQ(g_right.onednn_weights(), job.w.data8() + 8 * job.w.stride());
  } else {
    EXPECT_EQ(g_top.onednn_weights(), nullptr);
  }
}

}  // namespace
}  // namespace rcsim
