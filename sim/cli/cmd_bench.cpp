// `rcsim bench`: simulation speed of the accelerator model. Per configuration, each mode
// (per-cycle, fast, fast timing-only) runs one warm-up inference first — it pays the one-time
// layer preparation (operands, fold plans, closed-form counters, fast mode's prepared GEMMs),
// reported on its own — then inferences until --min-seconds of wall time have passed; per
// inference it reports CPU time (robust on a shared machine) and wall time, with the load
// average. `--all` measures the set behind docs/performance.md; `--markdown` prints its tables
// with machine, load and date.
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <malloc.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <limits>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "accel/accelerator.h"
#include "accel/fast_gemm.h"
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

// --width's value when the option is absent (a value no user passes: -1 is an error, not "full").
constexpr int kWidthNotGiven = std::numeric_limits<int>::min();

struct BenchOptions {
  std::string net = "mnist_lenet";
  std::string arch = "default";
  std::vector<std::string> sets;
  // Not given = full width; any given value, -1 included, is checked against 1..G.
  int width = kWidthNotGiven;
  double min_seconds = 1.0;
  bool no_per_cycle = false;
  bool all = false;
  bool markdown = false;
  bool json = false;
};

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

/// The process's resident set (bytes), from /proc/self/statm (0 where it cannot be read).
std::int64_t resident_bytes() {
  std::ifstream f("/proc/self/statm");
  std::int64_t size = 0, resident = 0;
  if (!(f >> size >> resident)) return 0;
  return resident * std::int64_t(sysconf(_SC_PAGESIZE));
}

/// Bytes the allocator has handed out and not taken back (glibc's mallinfo2: heap chunks in use
/// plus mmap'ed blocks; 0 elsewhere). Unlike the resident set it does not count memory freed but
/// kept by the allocator, so its growth is what an object still holds.
std::int64_t live_heap_bytes() {
#ifdef __GLIBC__
  const struct mallinfo2 m = mallinfo2();
  return std::int64_t(m.uordblks + m.hblkhd);
#else
  return 0;
#endif
}

double load_average() {
  double l[1] = {0};
  return getloadavg(l, 1) == 1 ? l[0] : -1;
}

struct Timing {
  double first_wall = 0, first_cpu = 0;  ///< the warm-up inference, preparation included
  double wall = 0, cpu = 0;              ///< per inference, steady state
  std::int64_t cycles = 0;
  int repetitions = 0;
};

/// One warm-up inference, then inferences until min_seconds of wall time have passed (≥ 1).
Timing measure(AcceleratorSim& sim, const std::vector<std::int32_t>& image, int k, double min_seconds) {
  using clock = std::chrono::steady_clock;
  Timing t;
  auto w0 = clock::now();
  double c0 = process_cpu_seconds();
  const std::vector<std::vector<std::int32_t>> images{image};  // copied once, not per inference
  t.cycles = sim.run(images, k).at(0).cycles;
  t.first_wall = std::chrono::duration<double>(clock::now() - w0).count();
  t.first_cpu = process_cpu_seconds() - c0;
  w0 = clock::now();
  c0 = process_cpu_seconds();
  double elapsed = 0;
  do {
    sim.run(images, k);
    ++t.repetitions;
    elapsed = std::chrono::duration<double>(clock::now() - w0).count();
  } while (elapsed < min_seconds);
  t.wall = elapsed / t.repetitions;
  t.cpu = (process_cpu_seconds() - c0) / t.repetitions;
  return t;
}

nlohmann::json timing_json(const Timing& t) {
  return {{"first_inference_wall_s", t.first_wall}, {"first_inference_cpu_s", t.first_cpu},
          {"wall_s_per_inference", t.wall},          {"cpu_s_per_inference", t.cpu},
          {"repetitions", t.repetitions}};
}

struct Config {
  std::string net, arch;
  std::vector<std::string> sets;
  int width;
  bool per_cycle;
};

nlohmann::json bench_one(eval::Evaluator& evaluator, const Config& cfg, double min_seconds) {
  // Loaded and checked by the evaluation pipeline; the timing loop drives the accelerator
  // itself (evaluate() would add the reference check and the energy model to every run).
  eval::EvalRequest req;
  req.network = cfg.net;
  req.arch = cfg.arch;
  req.arch_sets = cfg.sets;
  req.weights = "random";
  req.seed = 1;
  if (cfg.width != kWidthNotGiven) req.width = cfg.width;
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

  nlohmann::json j{{"network", net.name}, {"width", k},          {"arch", arch.name},
                   {"rows", arch.rows},   {"cols", arch.cols},   {"sets", cfg.sets},
                   {"load_average_before", load_average()}};
  // The timing loop keeps what it reads of a run (cycles, logits), as `rcsim run` without the
  // reference check: no per-layer outputs.
  AccelOptions fast, timing_only;
  fast.mode = timing_only.mode = ExecMode::Fast;
  fast.keep_layer_outputs = timing_only.keep_layer_outputs = false;
  timing_only.compute_outputs = false;
  Timing tp;
  if (cfg.per_cycle) {
    AccelOptions per_cycle;
    per_cycle.mode = ExecMode::PerCycle;
    per_cycle.keep_layer_outputs = false;
    AcceleratorSim a(prepared.weights, arch, per_cycle);
    tp = measure(a, image, k, min_seconds);
    j["per_cycle"] = timing_json(tp);
    j["per_cycle_simulated_cycles_per_cpu_s"] = double(tp.cycles) / tp.cpu;
    j["per_cycle_simulated_cycles_per_wall_s"] = double(tp.cycles) / tp.wall;
  }
  // Memory of weights + prepared layers: the live heap a fast simulator holds after its
  // construction and the preparation of every layer at width k (operands, fold programs, tiles,
  // closed-form counters, prepared GEMMs with their packed weights), before any image runs. What
  // the runs add next (activation tensors, operand scratch, per-layer results) and the resident
  // set's growth over construction, first inference and timing loop (which also keeps memory the
  // allocator got back) are reported beside it.
  // (the oneDNN plugin is loaded first: its libraries are a fixed cost, not weight memory).
  fast_gemm_uses_onednn();
  const std::int64_t rss_before = resident_bytes(), heap_before = live_heap_bytes();
  std::int64_t rss_after = 0, heap_prepared = 0, heap_after = 0;
  Timing tf, tt;
  {
    AcceleratorSim b(prepared.weights, arch, fast);
    b.prepare(k);
    heap_prepared = live_heap_bytes();
    tf = measure(b, image, k, min_seconds);
    rss_after = resident_bytes();
    heap_after = live_heap_bytes();
  }
  {
    AcceleratorSim c(prepared.weights, arch, timing_only);
    tt = measure(c, image, k, min_seconds);
  }
  // The same at every width: how much of a layer's preparation its widths share.
  std::int64_t all_widths_bytes = 0;
  {
    const std::int64_t heap0 = live_heap_bytes();
    AcceleratorSim d(prepared.weights, arch, fast);
    for (int w = 1; w <= net.width_groups; ++w) d.prepare(w);
    all_widths_bytes = std::max<std::int64_t>(0, live_heap_bytes() - heap0);
  }
  std::int64_t int8_bytes = 0, quantized_bytes = 0;
  for (const QuantLayerParams& p : qn.quant_params) {
    int8_bytes += std::int64_t(p.weight.size());
    quantized_bytes += std::int64_t(p.weight.storage_bytes());
  }
  const std::int64_t prepared_bytes = std::max<std::int64_t>(0, heap_prepared - heap_before);
  j["int8_weight_bytes"] = int8_bytes;
  j["quantized_weight_bytes"] = quantized_bytes;
  j["fast_prepared_heap_bytes"] = prepared_bytes;
  j["fast_run_heap_bytes"] = heap_after - heap_prepared;
  j["fast_rss_growth_bytes"] = std::max<std::int64_t>(0, rss_after - rss_before);
  j["fast_memory_over_int8_weights"] = int8_bytes > 0 ? double(quantized_bytes + prepared_bytes) / double(int8_bytes) : 0.0;
  j["fast_all_widths_prepared_heap_bytes"] = all_widths_bytes;
  j["fast_all_widths_memory_over_int8_weights"] =
      int8_bytes > 0 ? double(quantized_bytes + all_widths_bytes) / double(int8_bytes) : 0.0;
  j["cycles_per_inference"] = tf.cycles;
  j["fast"] = timing_json(tf);
  j["fast_timing_only"] = timing_json(tt);
  j["fast_gemm"] = fast_gemm_uses_onednn() ? "onednn" : "int16";
  if (cfg.per_cycle) {
    j["fast_over_per_cycle_cpu"] = tp.cpu / tf.cpu;
    j["fast_timing_only_over_per_cycle_cpu"] = tp.cpu / tt.cpu;
    j["fast_over_per_cycle_wall"] = tp.wall / tf.wall;
  }
  j["load_average_after"] = load_average();
  for (const auto& [key, value] : j.items()) {  // every field is declared (docs/outputs.md)
    bool declared = false;
    for (const auto& f : bench_fields()) declared = declared || key == f.name;
    if (!declared) throw InternalError("rcsim bench --json: field '" + key + "' is not in cli/bench_fields.h");
  }
  return j;
}

void print_text(const nlohmann::json& j) {
  auto ms = [](const nlohmann::json& t, const char* key) { return 1e3 * t[key].get<double>(); };
  std::cout << std::setprecision(4) << j["network"].get<std::string>() << " width " << j["width"] << " on "
            << j["arch"].get<std::string>() << " (" << j["rows"] << "x" << j["cols"] << "), " << j["cycles_per_inference"]
            << " cycles per inference, load average " << std::setprecision(3) << j["load_average_before"].get<double>()
            << std::setprecision(4) << "\n";
  if (j.contains("per_cycle")) {
    const auto& t = j["per_cycle"];
    std::cout << "  per-cycle:          " << ms(t, "cpu_s_per_inference") << " ms CPU (" << ms(t, "wall_s_per_inference")
              << " wall)/inference, " << j["per_cycle_simulated_cycles_per_cpu_s"].get<double>() / 1e6
              << " M simulated cycles per CPU second; first inference " << ms(t, "first_inference_cpu_s") << " ms CPU ("
              << t["repetitions"] << " runs)\n";
  }
  const auto& f = j["fast"];
  std::cout << "  fast:               " << ms(f, "cpu_s_per_inference") << " ms CPU (" << ms(f, "wall_s_per_inference")
            << " wall)/inference";
  if (j.contains("fast_over_per_cycle_cpu")) std::cout << ", " << j["fast_over_per_cycle_cpu"].get<double>() << "x per-cycle (CPU)";
  std::cout << "; first inference " << ms(f, "first_inference_cpu_s") << " ms CPU (" << f["repetitions"] << " runs, "
            << j["fast_gemm"].get<std::string>() << " GEMM)\n";
  const auto& t = j["fast_timing_only"];
  std::cout << "  fast, timing only:  " << ms(t, "cpu_s_per_inference") << " ms CPU (" << ms(t, "wall_s_per_inference")
            << " wall)/inference";
  if (j.contains("fast_timing_only_over_per_cycle_cpu"))
    std::cout << ", " << j["fast_timing_only_over_per_cycle_cpu"].get<double>() << "x per-cycle (CPU)";
  std::cout << " (" << t["repetitions"] << " runs)\n";
  std::cout << "  memory:             " << std::setprecision(4) << j["int8_weight_bytes"].get<double>() / 1e6
            << " MB int8 weights; simulator holds " << j["quantized_weight_bytes"].get<double>() / 1e6
            << " MB quantized weights + " << j["fast_prepared_heap_bytes"].get<double>() / 1e6
            << " MB prepared layers (fast simulator, heap) = " << j["fast_memory_over_int8_weights"].get<double>()
            << "x the int8 weight bytes; runs add " << j["fast_run_heap_bytes"].get<double>() / 1e6
            << " MB (activations, scratch); RSS grew " << j["fast_rss_growth_bytes"].get<double>() / 1e6 << " MB\n";
  std::cout << "  every width:        " << j["fast_all_widths_prepared_heap_bytes"].get<double>() / 1e6
            << " MB prepared layers with every width prepared = " << j["fast_all_widths_memory_over_int8_weights"].get<double>()
            << "x the int8 weight bytes\n";
}

std::string machine() {
  std::ifstream f("/proc/cpuinfo");
  std::string line, model = "unknown CPU";
  while (std::getline(f, line))
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  utsname u{};
  uname(&u);
  return model + ", " + std::to_string(sysconf(_SC_NPROCESSORS_ONLN)) + " cores, " + u.sysname + " " + u.release;
}

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
  return buf;
}

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

/// The set behind docs/performance.md: per-cycle cycles/s over array sizes on mnist_lenet, and
/// fast/per-cycle on mnist_lenet and cifar10_quick (and mnist_lenet on os16), and fast mode on the two ImageNet graph
/// networks (with buffers large enough to keep them on chip: the bench times the accelerator
/// model, not the DRAM simulation that tiling through DRAM adds).
std::vector<Config> all_configs() {
  std::vector<Config> v;
  for (int n : {8, 16, 64, 128})
    v.push_back({"mnist_lenet", "default", {"array.rows=" + std::to_string(n), "array.cols=" + std::to_string(n)}, kWidthNotGiven, true});
  v.push_back({"cifar10_quick", "default", {}, kWidthNotGiven, true});
  // The output-stationary array's per-cycle model on the default shape (~3 s more).
  v.push_back({"mnist_lenet", "os16", {}, kWidthNotGiven, true});
  const std::vector<std::string> big = {"act_buffer.size_bytes=4000000", "weight_sram.size_bytes=16000000"};
  // Fast mode only: one per-cycle inference of resnet18 is ~7.4 M cycles (seconds of CPU).
  v.push_back({"resnet18", "default", big, kWidthNotGiven, false});
  v.push_back({"mobilenet_v2", "default", big, kWidthNotGiven, false});
  return v;
}

/// The command line that reproduces `o`'s table (the header of the Markdown output).
std::string command_of(const BenchOptions& o) {
  std::ostringstream c;
  c << "rcsim bench";
  if (o.all) {
    c << " --all";
  } else {
    c << " --net " << o.net;
    if (o.arch != "default") c << " --arch " << o.arch;
    for (const std::string& s : o.sets) c << " --set " << s;
    if (o.width != kWidthNotGiven) c << " --width " << o.width;
    if (o.no_per_cycle) c << " --no-per-cycle";
  }
  c << " --markdown --min-seconds " << o.min_seconds;
  return c.str();
}

void print_markdown(const std::vector<nlohmann::json>& rows, const std::string& start, double load_before,
                    double load_after, const std::string& command) {
  std::cout << "Machine: " << machine() << ". Date: " << start << ". Load average (1 min) " << fixed(load_before, 2)
            << " before, " << fixed(load_after, 2) << " after. Command: `" << command
            << "`. Fast mode's GEMM: " << (fast_gemm_uses_onednn() ? "oneDNN" : "host int16 kernels") << ".\n\n";
  std::cout << "| network | array | width | cycles / inference | per-cycle CPU ms | simulated cycles / CPU s | fast CPU ms | "
               "fast / per-cycle (CPU) | timing-only CPU ms | timing-only / per-cycle | fast first inference CPU ms | load |\n"
               "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& j : rows) {
    const bool pc = j.contains("per_cycle");
    auto ms = [&](const char* mode, const char* key, int d) { return fixed(1e3 * j[mode][key].get<double>(), d); };
    const std::string arch = j["arch"].get<std::string>();
    std::cout << "| " << j["network"].get<std::string>() << " | " << j["rows"] << "×" << j["cols"]
              << (arch == "default" ? "" : " " + arch) << " | " << j["width"]
              << " | " << j["cycles_per_inference"] << " | " << (pc ? ms("per_cycle", "cpu_s_per_inference", 2) : "–")
              << " | "
              << (pc ? fixed(j["per_cycle_simulated_cycles_per_cpu_s"].get<double>() / 1e6, 2) + " M" : std::string("–"))
              << " | " << ms("fast", "cpu_s_per_inference", 3) << " | "
              << (pc ? fixed(j["fast_over_per_cycle_cpu"].get<double>(), 0) + "×" : std::string("–")) << " | "
              << ms("fast_timing_only", "cpu_s_per_inference", 3) << " | "
              << (pc ? fixed(j["fast_timing_only_over_per_cycle_cpu"].get<double>(), 0) + "×" : std::string("–"))
              << " | " << ms("fast", "first_inference_cpu_s", 1) << " | "
              << fixed(j["load_average_before"].get<double>(), 1) << " |\n";
  }
}

void run_bench(const BenchOptions& o) {
  eval::Evaluator evaluator;
  std::vector<Config> configs;
  if (o.all) configs = all_configs();
  else configs.push_back({o.net, o.arch, o.sets, o.width, !o.no_per_cycle});
  const std::string start = now_utc();
  const double load_before = load_average();
  std::vector<nlohmann::json> rows;
  for (const Config& c : configs) {
    rows.push_back(bench_one(evaluator, c, o.min_seconds));
    if (!o.json && !o.markdown) print_text(rows.back());
  }
  if (o.json) std::cout << (rows.size() == 1 ? rows[0] : nlohmann::json(rows)).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  else if (o.markdown) print_markdown(rows, start, load_before, load_average(), command_of(o));
}

}  // namespace

void add_bench_command(CommandLine& cl) {
  auto o = std::make_shared<BenchOptions>();
  Command cmd = cl.add("bench", "Simulation speed: per-cycle cycles/s and the fast/per-cycle ratio (CPU and wall time)");
  cmd.option("--net", o->net, kNetHelp).show_default();
  cmd.option("--arch", o->arch, "Architecture YAML path or shipped name").show_default();
  cmd.option("--set", o->sets, "Override an arch field: path=value (repeatable)");
  cmd.option("--width", o->width, "Width configuration k (default: full)");
  cmd.option("--min-seconds", o->min_seconds, "Wall time per measurement, after one warm-up inference").show_default();
  cmd.flag("--no-per-cycle", o->no_per_cycle, "Fast mode only");
  cmd.flag("--all", o->all,
           "The set of docs/performance.md: mnist_lenet per-cycle on 8x8..128x128, fast/per-cycle on mnist_lenet and "
           "cifar10_quick, mnist_lenet on os16, fast on resnet18 and mobilenet_v2 (ignores --net/--arch/--set/--width)");
  cmd.flag("--markdown", o->markdown, "Print the results as a Markdown table with machine, load and date");
  cmd.flag("--json", o->json, "Print JSON (an array with --all)");
  cmd.action([o] { run_bench(*o); });
}

}  // namespace rcsim::cli
