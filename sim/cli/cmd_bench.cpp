// `rcsim bench`: simulation speed of the accelerator model, measured in one run: simulated
// cycles per wall-clock second of per-cycle mode, and the fast/per-cycle speed ratio (with and
// without computing outputs in fast mode). Numbers for docs/performance.md.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>

#include "accel/accelerator.h"
#include "cli/bench_fields.h"
#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/model_options.h"
#include "core/arch_params.h"
#include "core/errors.h"
#include "eval/evaluator.h"
#include "host/int_reference.h"

namespace rcsim::cli {

namespace {

struct BenchOptions {
  std::string net = "mnist_lenet";
  std::string arch = "default";
  std::vector<std::string> sets;
  int width = -1;  // -1 = full width
  double min_seconds = 1.0;
  bool json = false;
};

struct Timing {
  double seconds_per_inference = 0;
  std::int64_t cycles = 0;
  int repetitions = 0;
};

// Runs inferences until min_seconds of wall time have passed (at least one).
Timing measure(AcceleratorSim& sim, const std::vector<std::int32_t>& image, int k, double min_seconds) {
  using clock = std::chrono::steady_clock;
  Timing t;
  const auto start = clock::now();
  double elapsed = 0;
  do {
    t.cycles = sim.run({image}, k).at(0).cycles;
    ++t.repetitions;
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  } while (elapsed < min_seconds);
  t.seconds_per_inference = elapsed / t.repetitions;
  return t;
}

void run_bench(const BenchOptions& o) {
  // Loaded and checked by the evaluation pipeline; the timing loop drives the accelerator
  // itself (evaluate() would add the reference check and the energy model to every run).
  eval::Evaluator evaluator;
  eval::EvalRequest req;
  req.network = o.net;
  req.arch = o.arch;
  req.arch_sets = o.sets;
  req.weights = "random";
  req.seed = 1;
  if (o.width != -1) req.width = o.width;
  const eval::PreparedRun prepared = evaluator.prepare(req);
  const Network& net = *prepared.network;
  const ArchParams& arch = prepared.arch;
  const int k = prepared.width;
  const QuantizedNetwork& qn = *prepared.weights;
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> px(net.input.size());
  for (auto& p : px) p = u(rng);
  const auto image = quantize_image(qn, px.data());

  AccelOptions per_cycle, fast, timing_only;
  per_cycle.mode = ExecMode::PerCycle;
  fast.mode = timing_only.mode = ExecMode::Fast;
  timing_only.compute_outputs = false;
  AcceleratorSim a(prepared.weights, arch, per_cycle), b(prepared.weights, arch, fast),
      c(prepared.weights, arch, timing_only);
  const Timing tp = measure(a, image, k, o.min_seconds);
  const Timing tf = measure(b, image, k, o.min_seconds);
  const Timing tt = measure(c, image, k, o.min_seconds);
  const double cps = double(tp.cycles) / tp.seconds_per_inference;
  nlohmann::json j{{"network", net.name},
                   {"width", k},
                   {"arch", arch.name},
                   {"rows", arch.rows},
                   {"cols", arch.cols},
                   {"cycles_per_inference", tp.cycles},
                   {"per_cycle_s_per_inference", tp.seconds_per_inference},
                   {"per_cycle_simulated_cycles_per_s", cps},
                   {"fast_s_per_inference", tf.seconds_per_inference},
                   {"fast_timing_only_s_per_inference", tt.seconds_per_inference},
                   {"fast_over_per_cycle", tp.seconds_per_inference / tf.seconds_per_inference},
                   {"fast_timing_only_over_per_cycle", tp.seconds_per_inference / tt.seconds_per_inference}};
  for (const auto& [key, value] : j.items()) {  // every field is declared (docs/outputs.md)
    bool declared = false;
    for (const auto& f : bench_fields()) declared = declared || key == f.name;
    if (!declared) throw InternalError("rcsim bench --json: field '" + key + "' is not in cli/bench_fields.h");
  }
  if (o.json) {
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << std::setprecision(4) << net.name << " width " << k << " on " << arch.name << " (" << arch.rows << "x"
            << arch.cols << "), " << tp.cycles << " cycles per inference\n"
            << "  per-cycle:          " << 1e3 * tp.seconds_per_inference << " ms/inference, " << cps / 1e6
            << " M simulated cycles/s (" << tp.repetitions << " runs)\n"
            << "  fast:               " << 1e3 * tf.seconds_per_inference << " ms/inference, "
            << tp.seconds_per_inference / tf.seconds_per_inference << "x per-cycle (" << tf.repetitions << " runs)\n"
            << "  fast, timing only:  " << 1e3 * tt.seconds_per_inference << " ms/inference, "
            << tp.seconds_per_inference / tt.seconds_per_inference << "x per-cycle (" << tt.repetitions << " runs)\n";
}

}  // namespace

void add_bench_command(CommandLine& cl) {
  auto o = std::make_shared<BenchOptions>();
  Command cmd = cl.add("bench", "Simulation speed: per-cycle cycles/s and the fast/per-cycle ratio");
  cmd.option("--net", o->net, kNetHelp).show_default();
  cmd.option("--arch", o->arch, "Architecture YAML path or shipped name").show_default();
  cmd.option("--set", o->sets, "Override an arch field: path=value (repeatable)");
  cmd.option("--width", o->width, "Width configuration k (default: full)");
  cmd.option("--min-seconds", o->min_seconds, "Wall time per measurement").show_default();
  cmd.flag("--json", o->json, "Print JSON");
  cmd.action([o] { run_bench(*o); });
}

}  // namespace rcsim::cli
