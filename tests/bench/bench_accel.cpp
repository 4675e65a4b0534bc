// Simulation speed of the SystemC accelerator (Google Benchmark): per-cycle mode's simulated
// cycles per second on 16×16 and other arrays, and fast mode on the same inference, so the
// fast/per-cycle ratio comes from one run. `rcsim bench` prints the same ratio directly.
// Results: docs/performance.md.
#include <benchmark/benchmark.h>

#include <random>

#include "accel/accelerator.h"
#include "core/network_yaml.h"
#include "host/int_reference.h"
#include "core/arch_params.h"

// libsystemc.so references sc_main; benchmark's main() is the one that runs.
extern "C" int sc_main(int, char**) { return 0; }

namespace {

using namespace rcsim;

struct Fixture {
  QuantizedNetwork qn;
  std::vector<std::int32_t> image;
};

const Fixture& fixture(const std::string& net) {
  static std::map<std::string, Fixture> cache;
  auto it = cache.find(net);
  if (it != cache.end()) return it->second;
  Fixture f;
  f.qn = random_quantized_network(load_network(net), 8, 1);
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> px(f.qn.net.input.size());
  for (auto& p : px) p = u(rng);
  f.image = quantize_image(f.qn, px.data());
  return cache.emplace(net, std::move(f)).first->second;
}

void run(benchmark::State& state, const std::string& net, int rows, int cols, ExecMode mode, bool outputs) {
  const Fixture& f = fixture(net);
  const ArchParams arch = load_arch("default", {"array.rows=" + std::to_string(rows), "array.cols=" + std::to_string(cols)});
  AccelOptions opts;
  opts.mode = mode;
  opts.compute_outputs = outputs;
  AcceleratorSim sim(f.qn, arch, opts);
  const int k = f.qn.net.width_groups;
  std::int64_t cycles = 0;
  for (auto _ : state) {
    auto r = sim.run({f.image}, k);
    cycles += r.at(0).cycles;
    benchmark::DoNotOptimize(r);
  }
  state.counters["sim_cycles_per_s"] = benchmark::Counter(double(cycles), benchmark::Counter::kIsRate);
  state.counters["cycles_per_inference"] = double(cycles) / double(state.iterations());
}

}  // namespace

BENCHMARK_CAPTURE(run, per_cycle/mnist_lenet/16x16, "mnist_lenet", 16, 16, ExecMode::PerCycle, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, fast/mnist_lenet/16x16, "mnist_lenet", 16, 16, ExecMode::Fast, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, fast_timing_only/mnist_lenet/16x16, "mnist_lenet", 16, 16, ExecMode::Fast, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, per_cycle/cifar10_quick/16x16, "cifar10_quick", 16, 16, ExecMode::PerCycle, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, per_cycle/mnist_lenet/4x16, "mnist_lenet", 4, 16, ExecMode::PerCycle, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, per_cycle/mnist_lenet/32x32, "mnist_lenet", 32, 32, ExecMode::PerCycle, true)->Unit(benchmark::kMillisecond);
// A graph network (residuals, depthwise convs run as one job per channel, concat, pools).
BENCHMARK_CAPTURE(run, per_cycle/graph_blocks/16x16, "graph_blocks", 16, 16, ExecMode::PerCycle, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run, fast/graph_blocks/16x16, "graph_blocks", 16, 16, ExecMode::Fast, true)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
