#include "accel/fast_gemm.h"

#include <algorithm>
#include <climits>

#include "core/errors.h"
#include "host/int_gemm.h"

#ifdef RCSIM_HAVE_DNNL
#include <omp.h>

#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace rcsim {

#ifdef RCSIM_HAVE_DNNL
/// oneDNN converts its int32 accumulators through float before writing an s32 destination, so a
/// sum is exact only while |sum| ≤ 2^24. The job therefore runs as a batch of B reduction chunks
/// of kChunk rows, each sum Σ (x + 128)·w with u8 operands x + 128 ≤ 255 and s8 weights:
/// |chunk sum| ≤ 512·255·128 < 2^24. The chunks are added in int32 (wrap-around), and
/// 128·Σ_k w[k][n] (precomputed) is subtracted: the exact Σ x·w, whatever oneDNN does inside.
struct FastGemm::OneDnn {
  static constexpr std::int64_t kChunk = 512;
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream strm{eng};
  dnnl::matmul prim;
  dnnl::memory::desc src_md, dst_md;
  dnnl::memory weights;  // s8, in the layout the primitive chose, reordered once
  std::int64_t B = 1, Kpad = 0;
  std::vector<std::int32_t> offset;  // [N]: bias[n] − 128·Σ_k w[k][n] (int32 wrap-around)
  std::vector<std::int32_t> chunks;  // [B][M][N] partial sums
};

bool fast_gemm_uses_onednn() {
  static const bool vnni = [] {
    using isa = dnnl::cpu_isa;
    switch (dnnl::get_effective_cpu_isa()) {
      case isa::avx2_vnni:
      case isa::avx512_core_vnni:
      case isa::avx512_core_bf16:
      case isa::avx512_core_amx: return true;
      default: return false;
    }
  }();
  return vnni;
}
#else
struct FastGemm::OneDnn {};
bool fast_gemm_uses_onednn() { return false; }
#endif

namespace {

bool fits_int8(std::int32_t v) { return v >= -128 && v <= 127; }

/// oneDNN's primitives run on OpenMP; fast mode gets its parallelism from images and design
/// points (one simulator per thread), so each calling thread runs its GEMMs on itself alone.
void one_thread_per_caller() {
#ifdef RCSIM_HAVE_DNNL
  thread_local const bool set = [] {
    omp_set_num_threads(1);
    return true;
  }();
  (void)set;
#endif
}

}  // namespace

FastGemm::FastGemm(const GemmJob& job) {
  if (job.w_stride != intgemm::round_up(int(job.g.K), intgemm::kColAlign))
    throw InternalError("FastGemm: the job's weights are not padded for the GEMM kernel");
  const std::int64_t M = job.g.M, K = job.g.K, N = job.g.N;
  const OperandGather& x = job.x;
  k_off_.resize(std::size_t(K));
  pix_off_.resize(std::size_t(M));
  interior_.resize(std::size_t(M));
  int dy_min = INT_MAX, dy_max = INT_MIN, dx_min = INT_MAX, dx_max = INT_MIN;
  for (std::int64_t k = 0; k < K; ++k) {
    const int dy = x.dy[std::size_t(k)], dx = x.dx[std::size_t(k)];
    k_off_[std::size_t(k)] = x.base[std::size_t(k)] + dy * x.in_w + dx;
    dy_min = std::min(dy_min, dy), dy_max = std::max(dy_max, dy);
    dx_min = std::min(dx_min, dx), dx_max = std::max(dx_max, dx);
  }
  for (std::int64_t m = 0; m < M; ++m) {
    const int oy = (*x.oy0)[std::size_t(m)], ox = (*x.ox0)[std::size_t(m)];
    pix_off_[std::size_t(m)] = oy * x.in_w + ox;
    interior_[std::size_t(m)] = K > 0 && oy + dy_min >= 0 && oy + dy_max < x.in_h && ox + dx_min >= 0 && ox + dx_max < x.in_w;
  }
#ifdef RCSIM_HAVE_DNNL
  // An fc (M = 1) stays on the host GEMV: oneDNN's call overhead is larger than the whole
  // product there (bench_gemm_libs, fc_1024x10).
  const bool int8_weights = std::all_of(job.w.begin(), job.w.end(), [](std::int16_t v) { return fits_int8(v); });
  if (fast_gemm_uses_onednn() && int8_weights && M > 1 && K > 0) {
    using namespace dnnl;
    using dt = memory::data_type;
    using tag = memory::format_tag;
    dnnl_ = std::make_unique<OneDnn>();
    OneDnn& d = *dnnl_;
    const std::int64_t Kc = std::min<std::int64_t>(OneDnn::kChunk, K);
    d.B = (K + Kc - 1) / Kc;
    d.Kpad = d.B * Kc;
    d.src_md = memory::desc({d.B, M, Kc}, dt::u8, memory::dims{Kc, d.Kpad, 1});
    d.dst_md = memory::desc({d.B, M, N}, dt::s32, tag::abc);
    const memory::desc any_w({d.B, Kc, N}, dt::s8, tag::any);
    const matmul::primitive_desc pd(matmul::desc(d.src_md, any_w, d.dst_md), d.eng);
    d.prim = matmul(pd);
    // W^T rows [N][Kpad] (zero beyond K) seen as B×Kc×N with strides (Kc, 1, Kpad), reordered
    // into the primitive's layout once.
    std::vector<std::int8_t> w8(std::size_t(N * d.Kpad), 0);
    d.offset.resize(std::size_t(N));
    for (std::int64_t n = 0; n < N; ++n) {
      std::uint32_t sum = 0;
      for (std::int64_t k = 0; k < K; ++k) {
        w8[std::size_t(n * d.Kpad + k)] = std::int8_t(job.W(k, n));
        sum += std::uint32_t(job.W(k, n));
      }
      d.offset[std::size_t(n)] = std::int32_t(std::uint32_t(job.bias[std::size_t(n)]) - 128u * sum);
    }
    memory plain(memory::desc({d.B, Kc, N}, dt::s8, memory::dims{Kc, 1, d.Kpad}), d.eng, w8.data());
    d.weights = memory(pd.weights_desc(), d.eng);
    reorder(plain, d.weights).execute(d.strm, plain, d.weights);
    d.strm.wait();
  }
#endif
}

FastGemm::~FastGemm() = default;

const char* FastGemm::kernel() const { return dnnl_ ? "onednn" : "int16"; }

void FastGemm::outputs(const GemmJob& job, const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc) const {
#ifdef RCSIM_HAVE_DNNL
  if (dnnl_) {
    OneDnn& d = *dnnl_;
    const std::int64_t M = job.g.M, K = job.g.K, N = job.g.N;
    x8_.assign(std::size_t(M * d.Kpad), 0);  // columns beyond K meet zero weights
    bool int8_inputs = true;
    for (std::int64_t m = 0; m < M && int8_inputs; ++m) {
      std::uint8_t* row = &x8_[std::size_t(m * d.Kpad)];
      std::int32_t lo = 0, hi = 0;
      if (interior_[std::size_t(m)]) {
        const std::int32_t* src = in.data() + pix_off_[std::size_t(m)];
        for (std::int64_t k = 0; k < K; ++k) {
          const std::int32_t v = src[k_off_[std::size_t(k)]];
          lo = std::min(lo, v), hi = std::max(hi, v);
          row[k] = std::uint8_t(v + 128);
        }
      } else {
        for (std::int64_t k = 0; k < K; ++k) {
          const std::int32_t v = job.X(in, m, k);
          lo = std::min(lo, v), hi = std::max(hi, v);
          row[k] = std::uint8_t(v + 128);
        }
      }
      int8_inputs = lo >= -128 && hi <= 127;
    }
    if (int8_inputs) {
      one_thread_per_caller();
      d.chunks.resize(std::size_t(d.B * M * N));
      dnnl::memory src(d.src_md, d.eng, x8_.data()), dst(d.dst_md, d.eng, d.chunks.data());
      d.prim.execute(d.strm, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, d.weights}, {DNNL_ARG_DST, dst}});
      d.strm.wait();
      const std::size_t MN = std::size_t(M * N);
      for (std::size_t i = 0; i < MN; ++i) {
        std::uint32_t a = std::uint32_t(d.offset[i % std::size_t(N)]);
        for (std::int64_t b = 0; b < d.B; ++b) a += std::uint32_t(d.chunks[std::size_t(b) * MN + i]);
        acc[i] = std::int32_t(a);
      }
      return;
    }
  }
#endif
  int16_outputs(job, in, acc);
}

void FastGemm::int16_outputs(const GemmJob& job, const std::vector<std::int32_t>& in,
                             std::vector<std::int32_t>& acc) const {
  const std::int64_t M = job.g.M, K = job.g.K, N = job.g.N;
  // The GEMM itself through the host's vectorized int16 kernels (int32 wrap-around; any
  // summation order gives the hardware's result).
  const std::int64_t Kp = job.w_stride, Mp = intgemm::round_up(int(M), intgemm::kRowAlign);
  x16_.assign(std::size_t(Mp * Kp), 0);
  for (std::int64_t m = 0; m < M; ++m) {
    std::int16_t* row = &x16_[std::size_t(m * Kp)];
    if (interior_[std::size_t(m)]) {
      const std::int32_t* src = in.data() + pix_off_[std::size_t(m)];
      for (std::int64_t k = 0; k < K; ++k) row[k] = std::int16_t(src[k_off_[std::size_t(k)]]);
    } else {
      for (std::int64_t k = 0; k < K; ++k) row[k] = std::int16_t(job.X(in, m, k));
    }
  }
  std::vector<std::int32_t> y(std::size_t(N * M));
  if (M == 1)
    intgemm::gemv(int(N), int(K), job.w.data(), std::size_t(Kp), x16_.data(), job.bias.data(), y.data());
  else
    intgemm::gemm_abt(int(N), int(M), int(K), job.w.data(), std::size_t(Kp), x16_.data(), std::size_t(Kp),
                      job.bias.data(), y.data(), std::size_t(M));
  for (std::int64_t n = 0; n < N; ++n)
    for (std::int64_t m = 0; m < M; ++m) acc[std::size_t(m * N + n)] = y[std::size_t(n * M + m)];
}

}  // namespace rcsim
