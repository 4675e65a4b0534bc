// Simulated clock cycles per second of the Verilated RTL (rtl/): the 16×16 and 4×16 int8 PE
// arrays with every port driven every cycle, and one int8 MAC. Only the model is timed: the
// stimulus is pre-generated and replayed. Results: docs/validation.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "rtl/rtl_dut.h"

#include "Vmac8.h"
#include "Vpe_array_16x16.h"
#include "Vpe_array_4x16.h"

namespace {

using rcsim::rtltest::Dut;

struct Stimulus {
  std::vector<std::uint8_t> act, valid, sel, w, load, load_sel;
};

Stimulus make_stimulus(int rows, int cols, int cycles) {
  std::mt19937 rng(1);
  Stimulus s;
  auto byte = [&] { return static_cast<std::uint8_t>(rng()); };
  for (int i = 0; i < cycles * rows; ++i) {
    s.act.push_back(byte());
    s.valid.push_back(byte() % 8 != 0);
    s.sel.push_back(byte() & 1);
  }
  for (int i = 0; i < cycles * cols; ++i) s.w.push_back(byte());
  for (int i = 0; i < cycles; ++i) {
    s.load.push_back(byte() % 4 == 0);
    s.load_sel.push_back(byte() & 1);
  }
  return s;
}

template <class V, int R, int C>
void BM_RtlPeArray(benchmark::State& state) {
  constexpr int kCycles = 4096;
  const Stimulus s = make_stimulus(R, C, kCycles);
  Dut<V> dut;
  int t = 0;
  for (auto _ : state) {
    for (int r = 0; r < R; ++r) {
      dut->act_in[r] = s.act[t * R + r];
      dut->act_valid_in[r] = s.valid[t * R + r];
      dut->act_sel_in[r] = s.sel[t * R + r];
    }
    for (int c = 0; c < C; ++c) dut->w_in[c] = s.w[t * C + c];
    dut->load = s.load[t];
    dut->load_sel = s.load_sel[t];
    dut.tick();
    benchmark::DoNotOptimize(dut->psum_out[C - 1]);
    t = (t + 1) % kCycles;
  }
  state.SetItemsProcessed(state.iterations());  // items/s = simulated cycles/s
}
BENCHMARK_TEMPLATE(BM_RtlPeArray, Vpe_array_16x16, 16, 16)->Name("rtl/pe_array_16x16");
BENCHMARK_TEMPLATE(BM_RtlPeArray, Vpe_array_4x16, 4, 16)->Name("rtl/pe_array_4x16");

void BM_RtlMac8(benchmark::State& state) {
  constexpr int kCycles = 4096;
  const Stimulus s = make_stimulus(2, 1, kCycles);
  Dut<Vmac8> dut;
  int t = 0;
  for (auto _ : state) {
    dut->a = s.act[2 * t];
    dut->w = s.act[2 * t + 1];
    dut->valid = s.valid[2 * t];
    dut->clear = s.load[t];
    dut.tick();
    benchmark::DoNotOptimize(dut->acc);
    t = (t + 1) % kCycles;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RtlMac8)->Name("rtl/mac8");

}  // namespace

BENCHMARK_MAIN();
