// The RTL PE-array backend vs the SystemC model on the same inference, in one run: simulated
// cycles/s of per-cycle mode with the C++ systolic array, with the Verilated rtl/pe_array.sv
// ("rtl"), with both in lock-step ("lockstep", what `rcsim cosim` runs), and fast mode.
// Results: docs/validation.md.
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "accel/accelerator.h"
#include "core/network_yaml.h"
#include "cosim/rtl_pe_array.h"
#include "host/int_reference.h"
#include "core/arch_params.h"

// libsystemc.so references sc_main; benchmark's main() is the one that runs.
extern "C" int sc_main(int, char**) { return 0; }

namespace {

using namespace rcsim;

void run(benchmark::State& state, const std::string& net_name, int rows, ExecMode mode, const std::string& backend) {
  cosim::register_rtl_backends();
  const QuantizedNetwork qn = random_quantized_network(load_network(net_name), 8, 1);
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> px(qn.net.input.size());
  for (auto& p : px) p = u(rng);
  const std::vector<std::int32_t> image = quantize_image(qn, px.data());
  const ArchParams arch = load_arch("default", {"array.rows=" + std::to_string(rows), "array.cols=16"});
  AccelOptions opts;
  opts.mode = mode;
  opts.backend = backend;
  AcceleratorSim sim(qn, arch, opts);
  std::int64_t cycles = 0;
  for (auto _ : state) {
    auto r = sim.run({image}, qn.net.width_groups);
    cycles += r.at(0).cycles;
    benchmark::DoNotOptimize(r);
  }
  state.counters["sim_cycles_per_s"] = benchmark::Counter(double(cycles), benchmark::Counter::kIsRate);
  state.counters["cycles_per_inference"] = double(cycles) / double(state.iterations());
}

}  // namespace

BENCHMARK_CAPTURE(run, per_cycle_systolic/mnist_lenet/16x16, "mnist_lenet", 16, ExecMode::PerCycle, "systolic")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, per_cycle_rtl/mnist_lenet/16x16, "mnist_lenet", 16, ExecMode::PerCycle, "rtl")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, per_cycle_lockstep/mnist_lenet/16x16, "mnist_lenet", 16, ExecMode::PerCycle, "lockstep")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, fast/mnist_lenet/16x16, "mnist_lenet", 16, ExecMode::Fast, "systolic")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, per_cycle_systolic/mnist_lenet/4x16, "mnist_lenet", 4, ExecMode::PerCycle, "systolic")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, per_cycle_rtl/mnist_lenet/4x16, "mnist_lenet", 4, ExecMode::PerCycle, "rtl")->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
