// librcsim_onednn.so: fast mode's oneDNN matmul behind the C interface of accel/onednn_plugin_api.h,
// loaded by accel/onednn_plugin.cpp on first use (the only code of rcsim that links oneDNN).
#include <omp.h>

#include <cstdio>
#include <exception>
#include <oneapi/dnnl/dnnl.hpp>

#include "accel/onednn_plugin_api.h"

struct RcsimOneDnnMatmul {
  dnnl::matmul prim;
  bool any_shape = false;
  dnnl::memory::desc a_md, b_md, dst_md;  // the prepared shape (not for any shape)
};

namespace {

void set_error(char* error, const char* what) { std::snprintf(error, 256, "%s", what); }

/// One CPU engine for the process, every primitive made on it.
const dnnl::engine& cpu_engine() {
  static const dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

/// A stream per calling thread: a primitive may be shared between threads (fast mode's any-shape
/// matmul is one per process, and simulators run on several threads), a stream may not.
dnnl::stream& thread_stream() {
  thread_local dnnl::stream strm(cpu_engine());
  return strm;
}

int has_vnni() {
  using isa = dnnl::cpu_isa;
  switch (dnnl::get_effective_cpu_isa()) {
    case isa::avx2_vnni:
    case isa::avx512_core_vnni:
    case isa::avx512_core_bf16:
    case isa::avx512_core_amx: return 1;
    default: return 0;
  }
}

/// oneDNN's primitives run on OpenMP; fast mode gets its parallelism from images and design
/// points (one simulator per thread), so each calling thread runs its GEMMs on itself alone. Set
/// before a primitive is made too: oneDNN fixes a primitive's thread split when it creates it
/// (one made with the default split then runs its per-thread parts one after the other).
void one_thread_per_caller() {
  thread_local const bool set = [] {
    omp_set_num_threads(1);
    return true;
  }();
  (void)set;
}

RcsimOneDnnMatmul* prepare(std::int64_t N, std::int64_t K, std::int64_t M, std::int64_t lda, std::int64_t ldb,
                           std::int64_t ldc, char* error) {
  try {
    one_thread_per_caller();
    using namespace dnnl;
    using dt = memory::data_type;
    auto d = new RcsimOneDnnMatmul;
    // Plain row-major operands with leading dimensions: the weights are read where the network
    // keeps them, a row tile's outputs land inside the node's plane.
    d->any_shape = N == 0 && K == 0 && M == 0 && lda == 0 && ldb == 0 && ldc == 0;
    auto plain = [&](std::int64_t rows, std::int64_t cols, std::int64_t ld, dt type) {
      if (d->any_shape) return memory::desc({DNNL_RUNTIME_DIM_VAL, DNNL_RUNTIME_DIM_VAL}, type, memory::dims{DNNL_RUNTIME_DIM_VAL, 1});
      return memory::desc({rows, cols}, type, memory::dims{ld, 1});
    };
    d->a_md = plain(N, K, lda, dt::s8);
    d->b_md = plain(K, M, ldb, dt::s8);
    d->dst_md = plain(N, M, ldc, dt::s32);
    d->prim = matmul(matmul::primitive_desc(matmul::desc(d->a_md, d->b_md, d->dst_md), cpu_engine()));
    return d;
  } catch (const std::exception& e) {
    set_error(error, e.what());
    return nullptr;
  }
}

int run(const RcsimOneDnnMatmul* d, std::int64_t N, std::int64_t K, std::int64_t M, std::int64_t lda, std::int64_t ldb,
        std::int64_t ldc, const std::int8_t* a, const std::int8_t* b, std::int32_t* dst_data, char* error) {
  try {
    one_thread_per_caller();
    using dnnl::memory;
    using dt = memory::data_type;
    auto desc = [&](const memory::desc& prepared, std::int64_t rows, std::int64_t cols, std::int64_t ld, dt type) {
      return d->any_shape ? memory::desc({rows, cols}, type, memory::dims{ld, 1}) : prepared;
    };
    const dnnl::engine& eng = cpu_engine();
    memory am(desc(d->a_md, N, K, lda, dt::s8), eng, const_cast<std::int8_t*>(a)),
        bm(desc(d->b_md, K, M, ldb, dt::s8), eng, const_cast<std::int8_t*>(b)),
        dst(desc(d->dst_md, N, M, ldc, dt::s32), eng, dst_data);
    dnnl::stream& strm = thread_stream();
    d->prim.execute(strm, {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bm}, {DNNL_ARG_DST, dst}});
    strm.wait();
    return 0;
  } catch (const std::exception& e) {
    set_error(error, e.what());
    return -1;
  }
}

void release(RcsimOneDnnMatmul* d) { delete d; }

const RcsimOneDnnApi api{rcsim::kOneDnnPluginVersion, has_vnni, prepare, run, release};

}  // namespace

extern "C" __attribute__((visibility("default"))) const void* rcsim_onednn_api() { return &api; }
