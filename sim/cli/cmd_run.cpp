// `rcsim run`: one network at width k on the SystemC accelerator through the evaluation pipeline
// (eval/evaluator.h): cycles, counters, energy, and a bit-exact check of every layer of every
// image against the integer reference (validation ladder rung 2, docs/validation.md).
#include <cstdio>
#include <iomanip>
#include <limits>
#include <iostream>
#include <memory>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/model_options.h"
#include "core/errors.h"
#include "eval/eval_json.h"
#include "eval/evaluator.h"
#include "host/output_file.h"
#ifdef RCSIM_HAVE_COSIM
#include "cosim/rtl_pe_array.h"  // --backend rtl | lockstep
#endif

// libsystemc.so (linked through rcsim_accel) references sc_main; rcsim has its own main() and
// never calls sc_elab_and_sim, so this one is never run. Defined here, the only command that
// needs SystemC; extern "C" as in sysc/kernel/sc_externs.h.
extern "C" int sc_main(int, char**) { return 0; }

namespace rcsim::cli {

namespace {

// --width's value when the option is absent (a value no user passes: -1 is an error, not "full").
constexpr int kWidthNotGiven = std::numeric_limits<int>::min();

struct RunOptions {
  std::string net = "mnist_lenet";
  std::string weights;  // "" = the trained default; "random" = seeded random
  std::uint64_t seed = 1;
  std::string arch = "default";
  std::vector<std::string> sets;
  // Not given = full width; any given value, -1 included, is checked against 1..G.
  int width = kWidthNotGiven;
  std::string mode = "per-cycle";
  std::string backend = "systolic";
  int images = 1;
  std::string dataset;
  std::string data_dir;
  bool json = false;
  std::string vcd;
  std::string vcd_layer;
  std::string dram_trace;
  std::string dram_trace_format = "dramsim3";
  CalibrationOptions calibration;
};

void run_run(const RunOptions& o) {
  eval::EvalRequest req;
  req.network = o.net;
  req.arch = o.arch;
  req.arch_sets = o.sets;
  req.weights = o.weights;  // "" = the trained default (.onnx: its own weights); "random" = seeded random
  req.calibration = resolve_calibration(o.calibration, o.dataset, o.data_dir);
  req.seed = o.seed;
  if (o.width != kWidthNotGiven) req.width = o.width;
  if (o.images < 1) throw InputError("--images must be at least 1 (got " + std::to_string(o.images) + ")");
  // Images: a dataset's first N test images, or seeded random ones (timing does not depend on
  // the data, so the first image gives the cycles; every image's outputs are checked).
  req.images = o.dataset.empty() ? eval::ImageSpec::random(std::size_t(o.images))
                                 : eval::ImageSpec::from_dataset(o.dataset, o.data_dir, std::size_t(o.images));
#ifdef RCSIM_HAVE_COSIM
  cosim::register_rtl_backends();
#endif
  req.accel.mode = parse_exec_mode(o.mode);
  req.accel.backend = o.backend;
  req.accel.vcd_layer = o.vcd_layer;
  req.accel.dram_trace_path = o.dram_trace;
  req.accel.dram_trace_format = o.dram_trace_format;
  // The VCD is written under a temporary name and renamed only after a successful run.
  const std::string vcd_tmp = o.vcd.empty() ? "" : o.vcd + ".partial";
  // Checked before the run, not only at the rename: a device, FIFO or socket is never replaced.
  if (!vcd_tmp.empty()) refuse_non_regular_target(o.vcd), refuse_non_regular_target(vcd_tmp);
  req.accel.vcd_path = vcd_tmp;
  eval::Evaluator evaluator;
  eval::EvalResult res;
  try {
    res = evaluator.evaluate(req);
  } catch (...) {
    if (!vcd_tmp.empty()) std::remove(vcd_tmp.c_str());
    throw;
  }
  if (!vcd_tmp.empty()) commit_file(vcd_tmp, o.vcd);  // synced by the trace; removed on failure

  const Network& net = *res.network;
  const ArchParams& arch = res.arch;
  const InferenceRun& run = res.run;
  const energy::EnergyReport& energy = res.energy;
  if (o.json) {
    std::cout << eval::to_json(res).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  std::cout << net.name << " width " << res.width << "/" << net.width_groups << " on " << arch.name << " ("
            << arch.rows << "x" << arch.cols << " " << to_string(arch.dataflow) << ", " << to_string(arch.timing)
            << ", " << o.mode << ", backend " << run.backend << "), weights " << res.weights_label << "\n";
  std::cout << std::left << std::setw(10) << "layer" << std::right << std::setw(12) << "cycles" << std::setw(12)
            << "MACs" << std::setw(8) << "util%" << std::setw(14) << "wsram reads" << std::setw(12) << "act reads"
            << std::setw(10) << "DRAM B" << "\n";
  for (const LayerRun& l : run.layers) {
    std::int64_t wr = 0;
    for (auto v : l.counters.wsram_reads) wr += v;
    std::cout << std::left << std::setw(10) << l.counters.layer << std::right << std::setw(12) << l.counters.cycles
              << std::setw(12) << l.counters.macs << std::setw(8) << std::fixed << std::setprecision(1)
              << 100 * l.utilization << std::setw(14) << wr << std::setw(12) << l.counters.act_reads << std::setw(10)
              << l.counters.dram_read_bytes << "\n";
  }
  std::cout << std::left << std::setw(10) << "total" << std::right << std::setw(12) << run.cycles << std::setw(12)
            << run.macs << std::setw(8) << std::setprecision(1)
            << 100.0 * double(run.macs) / (double(arch.rows) * arch.cols * double(run.cycles)) << "\n";
  std::cout << "latency " << std::setprecision(3) << 1e6 * double(run.cycles) / arch.clock_hz << " us at "
            << arch.clock_hz / 1e6 << " MHz; outputs " << (res.outputs_match_reference ? "match" : "DO NOT match")
            << " the integer reference (" << res.images << " image" << (res.images > 1 ? "s" : "") << ")";
  if (res.accuracy) std::cout << "; accuracy " << std::setprecision(2) << 100 * *res.accuracy << " %";
  std::cout << "\n";
  std::cout << "energy " << std::setprecision(3) << energy.energy_j * 1e6 << " uJ per inference (dynamic "
            << energy.dynamic_j * 1e6 << ", static " << energy.static_j * 1e6 << "), avg power "
            << energy.avg_power_w * 1e3 << " mW, " << energy.tech << " (rcsim energy --tech " << energy.tech << ")\n";
}

}  // namespace

void add_run_command(CommandLine& cl) {
  auto o = std::make_shared<RunOptions>();
  Command cmd = cl.add("run", "Run a network at width k on the SystemC accelerator");
  cmd.option("--net", o->net, kNetHelp).show_default();
  cmd.option("--weights", o->weights,
             "Weights file (.safetensors); default: the trained weights in workloads/weights (.onnx: the "
             "model's own, quantized); 'random' = seeded random weights");
  cmd.option("--seed", o->seed, "Seed of random weights and random images").show_default();
  cmd.option("--arch", o->arch, "Architecture YAML path or shipped name").show_default();
  cmd.option("--set", o->sets, "Override an arch field: path=value (repeatable), e.g. array.rows=8");
  cmd.option("--width", o->width, "Width configuration k (1..G; default G = full)");
  cmd.option("--mode", o->mode, "Execution mode").one_of({"per-cycle", "fast"}).show_default();
  cmd.option("--backend", o->backend, "PE-array backend in per-cycle mode: systolic, or rtl / lockstep when built with Verilator").show_default();
  cmd.option("--images", o->images, "Number of images (dataset test split, or random)").show_default();
  cmd.option("--dataset", o->dataset, "Dataset for images and accuracy: mnist, fashion-mnist, cifar10, svhn");
  cmd.option("--data-dir", o->data_dir, "Dataset directory (default: the dataset's default location)");
  cmd.flag("--json", o->json, "Print the full report as JSON");
  cmd.option("--vcd", o->vcd, "Write a VCD of the PE array's signals for one layer (per-cycle)");
  cmd.option("--vcd-layer", o->vcd_layer, "Layer traced by --vcd (default: the first conv/fc)");
  cmd.option("--dram-trace", o->dram_trace,
             "Write the first image's DRAM requests (one line per burst) for replay in DRAMsim3 / Ramulator 2");
  cmd.option("--dram-trace-format", o->dram_trace_format, "Format of --dram-trace")
      .one_of({"dramsim3", "ramulator2"})
      .show_default();
  add_calibration_options(cmd, o->calibration);
  cmd.action([o] { run_run(*o); });
}

}  // namespace rcsim::cli
