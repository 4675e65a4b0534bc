// Speed of the event-driven DRAM model (sim/dram): requests simulated per second for a streaming
// and a uniformly random read pattern, and for sparse requests with power-down (long idle stretches
// between requests, which the model skips). Timings are measurements, not tests; results and the
// command: docs/dram.md.
//
//   dram/<preset>/stream/<n>      n consecutive 64 B (DDR4) / 32 B (LPDDR4) reads, all at cycle 0
//   dram/<preset>/random/<n>      n random reads over the whole capacity
//   dram/<preset>/sparse_pd/<n>   n random reads 5000 cycles apart, power-down after 100 idle cycles
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "dram/dram_controller.h"
#include "dram/dram_patterns.h"

using namespace rcsim::dram;

namespace {

void run(benchmark::State& state, const std::string& preset, Pattern p, Cycle interval, Cycle pd_idle) {
  DramConfig c = load_dram_config(preset);
  c.controller.powerdown_idle_ck = pd_idle;
  const std::int64_t n = state.range(0);
  const auto reqs = make_pattern(p, n, c.org.bytes_per_burst(), c.org.capacity_bytes(), false, interval);
  Cycle cycles = 0;
  for (auto _ : state) {
    DramController ctrl(c);
    for (const auto& r : reqs) ctrl.submit(r);
    cycles = ctrl.run_until_idle();
    benchmark::DoNotOptimize(cycles);
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["dram_cycles"] = double(cycles);
}

void register_all() {
  for (const std::string preset : {"ddr4-3200", "lpddr4-3200"}) {
    benchmark::RegisterBenchmark(("dram/" + preset + "/stream").c_str(),
                                 [preset](benchmark::State& s) { run(s, preset, Pattern::Stream, 0, 0); })
        ->Arg(1 << 14)->Arg(1 << 20)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("dram/" + preset + "/random").c_str(),
                                 [preset](benchmark::State& s) { run(s, preset, Pattern::Random, 0, 0); })
        ->Arg(1 << 14)->Arg(1 << 20)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("dram/" + preset + "/sparse_pd").c_str(),
                                 [preset](benchmark::State& s) { run(s, preset, Pattern::Random, 5000, 100); })
        ->Arg(1 << 14)->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
