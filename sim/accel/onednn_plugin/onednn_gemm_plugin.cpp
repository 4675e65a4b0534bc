// librcsim_onednn.so: fast mode's oneDNN matmul behind the C interface of accel/onednn_plugin_api.h,
// loaded by accel/onednn_plugin.cpp on first use (the only code of rcsim that links oneDNN).
#include <omp.h>

#include <cstdio>
#include <exception>
#include <oneapi/dnnl/dnnl.hpp>

#include "accel/onednn_plugin_api.h"

struct RcsimOneDnnMatmul {
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream strm{eng};
  dnnl::matmul prim;
  dnnl::memory::desc src_md, dst_md;
  dnnl::memory weights;  // s8, in the layout the primitive chose, reordered once
};

namespace {

void set_error(char* error, const char* what) { std::snprintf(error, 256, "%s", what); }

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

RcsimOneDnnMatmul* prepare(std::int64_t B, std::int64_t M, std::int64_t Kc, std::int64_t N, std::int64_t Kpad,
                           const std::int8_t* w8, char* error) {
  try {
    using namespace dnnl;
    using dt = memory::data_type;
    using tag = memory::format_tag;
    auto d = new RcsimOneDnnMatmul;
    d->src_md = memory::desc({B, M, Kc}, dt::u8, memory::dims{Kc * M, 1, M});
    d->dst_md = memory::desc({B, M, N}, dt::s32, tag::abc);
    const memory::desc any_w({B, Kc, N}, dt::s8, tag::any);
    const matmul::primitive_desc pd(matmul::desc(d->src_md, any_w, d->dst_md), d->eng);
    d->prim = matmul(pd);
    memory plain(memory::desc({B, Kc, N}, dt::s8, memory::dims{Kc, 1, Kpad}), d->eng, const_cast<std::int8_t*>(w8));
    d->weights = memory(pd.weights_desc(), d->eng);
    reorder(plain, d->weights).execute(d->strm, plain, d->weights);
    d->strm.wait();
    return d;
  } catch (const std::exception& e) {
    set_error(error, e.what());
    return nullptr;
  }
}

/// oneDNN's primitives run on OpenMP; fast mode gets its parallelism from images and design
/// points (one simulator per thread), so each calling thread runs its GEMMs on itself alone.
void one_thread_per_caller() {
  thread_local const bool set = [] {
    omp_set_num_threads(1);
    return true;
  }();
  (void)set;
}

int run(const RcsimOneDnnMatmul* d, const std::uint8_t* xt, std::int32_t* dst_data, char* error) {
  try {
    one_thread_per_caller();
    dnnl::memory src(d->src_md, d->eng, const_cast<std::uint8_t*>(xt)), dst(d->dst_md, d->eng, dst_data);
    dnnl::stream strm = d->strm;
    d->prim.execute(strm, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, d->weights}, {DNNL_ARG_DST, dst}});
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
