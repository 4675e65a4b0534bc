// `rcsim run`: one network at width k on the SystemC accelerator; cycles, counters, and a
// bit-exact check of every layer against the integer reference (DESIGN §6 rung 2).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#include "accel/accelerator.h"
#include "accel/run_report.h"
#include "cli/commands.h"
#include "cli/energy_of_arch.h"
#include "core/errors.h"
#include "core/network_yaml.h"
#include "host/dataset.h"
#include "host/int_reference.h"
#include "host/weights_file.h"
#include "host/weights_source.h"
#include "core/arch_params.h"
#ifdef RCSIM_HAVE_COSIM
#include "cosim/rtl_pe_array.h"  // --backend rtl | lockstep
#endif

// libsystemc.so (linked through rcsim_accel) references sc_main; rcsim has its own main() and
// never calls sc_elab_and_sim, so this one is never run. Defined here, the only command that
// needs SystemC; extern "C" as in sysc/kernel/sc_externs.h.
extern "C" int sc_main(int, char**) { return 0; }

namespace rcsim::cli {

namespace {

struct RunOptions {
  std::string net = "mnist_lenet";
  std::string weights;  // "" = the trained default; "random" = seeded random
  std::uint64_t seed = 1;
  std::string arch = "default";
  std::vector<std::string> sets;
  int width = -1;  // -1 = full width (0 is an error like any k outside 1..G)
  std::string mode = "per-cycle";
  std::string backend = "systolic";
  int images = 1;
  std::string dataset;
  std::string data_dir;
  bool json = false;
  std::string vcd;
  std::string vcd_layer;
};


void run_run(const RunOptions& o) {
  const Network net = load_network(o.net);
  const ArchParams arch = load_arch(o.arch, o.sets);
  const int k = o.width == -1 ? net.width_groups : o.width;
  net.check_width(k);
  if (o.images < 1) throw InputError("--images must be at least 1 (got " + std::to_string(o.images) + ")");
  std::string weights_label;
  const QuantizedNetwork qn = load_weights_spec(o.weights, net, arch.precision, o.seed, &weights_label);

  // Images: a dataset's first N test images, or one seeded random image (timing does not
  // depend on the data, so one image gives the cycles; every image's outputs are checked).
  const Dataset ds = load_run_images(o.dataset, o.data_dir, std::size_t(std::max(o.images, 0)), net.input, o.seed);
  std::vector<std::vector<std::int32_t>> images;
  std::vector<int> labels;
  for (std::size_t i = 0; i < ds.size(); ++i) {
    images.push_back(quantize_image(qn, ds.image(i)));
    if (!o.dataset.empty()) labels.push_back(ds.labels[i]);
  }

  AccelOptions opts;
#ifdef RCSIM_HAVE_COSIM
  cosim::register_rtl_backends();
#endif
  opts.mode = parse_exec_mode(o.mode);
  opts.backend = o.backend;
  opts.vcd_layer = o.vcd_layer;
  // The VCD is written under a temporary name and renamed only after a successful run.
  const std::string vcd_tmp = o.vcd.empty() ? "" : o.vcd + ".partial";
  opts.vcd_path = vcd_tmp;
  std::vector<InferenceRun> runs;
  try {
    AcceleratorSim sim(qn, arch, opts);
    runs = sim.run(images, k);
  } catch (...) {
    if (!vcd_tmp.empty()) std::remove(vcd_tmp.c_str());
    throw;
  }
  if (!vcd_tmp.empty()) std::filesystem::rename(vcd_tmp, o.vcd);

  bool match = true;
  int correct = 0;
  for (std::size_t n = 0; n < images.size(); ++n) {
    const auto ref = int_forward(qn, k, images[n]);
    for (std::size_t i = 0; i < ref.size(); ++i) match = match && runs[n].layers[i].output == ref[i];
    if (!labels.empty()) correct += argmax(runs[n].logits()) == labels[n];
  }
  RunInfo info;
  info.network = net.name;
  info.arch = arch.name;
  info.weights = weights_label;
  info.width = k;
  info.opts = opts;
  info.images = int(images.size());
  info.outputs_match_reference = match;
  if (!labels.empty()) info.accuracy = double(correct) / double(labels.size());
  const InferenceRun& run = runs.front();
  const energy::EnergyReport energy = energy_of_run(arch, run);
  if (o.json) {
    nlohmann::json j = run_to_json(info, arch, net, run);
    add_energy_to_json(energy, j);
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << net.name << " width " << k << "/" << net.width_groups << " on " << arch.name << " ("
            << arch.rows << "x" << arch.cols << " " << to_string(arch.dataflow) << ", " << to_string(arch.timing)
            << ", " << o.mode << "), weights " << weights_label << "\n";
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
            << arch.clock_hz / 1e6 << " MHz; outputs " << (match ? "match" : "DO NOT match")
            << " the integer reference (" << images.size() << " image" << (images.size() > 1 ? "s" : "") << ")";
  if (info.accuracy) std::cout << "; accuracy " << std::setprecision(2) << 100 * *info.accuracy << " %";
  std::cout << "\n";
  std::cout << "energy " << std::setprecision(3) << energy.energy_j * 1e6 << " uJ per inference (dynamic "
            << energy.dynamic_j * 1e6 << ", static " << energy.static_j * 1e6 << "), avg power "
            << energy.avg_power_w * 1e3 << " mW, " << energy.tech << " (rcsim energy --tech " << energy.tech << ")\n";
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run a network at width k on the SystemC accelerator");
  cmd->add_option("--net", o->net, "Network name (shipped) or YAML path")->capture_default_str();
  cmd->add_option("--weights", o->weights,
                  "Weights file (.safetensors); default: the trained weights in workloads/weights; "
                  "'random' = seeded random weights");
  cmd->add_option("--seed", o->seed, "Seed of random weights and random images")->capture_default_str();
  cmd->add_option("--arch", o->arch, "Architecture YAML path or shipped name")->capture_default_str();
  cmd->add_option("--set", o->sets, "Override an arch field: path=value (repeatable), e.g. array.rows=8");
  cmd->add_option("--width", o->width, "Width configuration k (1..G; default G = full)");
  cmd->add_option("--mode", o->mode, "Execution mode")->check(CLI::IsMember({"per-cycle", "fast"}))->capture_default_str();
  cmd->add_option("--backend", o->backend, "PE-array backend in per-cycle mode: systolic, or rtl / lockstep when built with Verilator")->capture_default_str();
  cmd->add_option("--images", o->images, "Number of images (dataset test split, or random)")->capture_default_str();
  cmd->add_option("--dataset", o->dataset, "Dataset for images and accuracy: mnist, fashion-mnist, cifar10, svhn");
  cmd->add_option("--data-dir", o->data_dir, "Dataset directory (default: the dataset's default location)");
  cmd->add_flag("--json", o->json, "Print the full report as JSON");
  cmd->add_option("--vcd", o->vcd, "Write a VCD of the PE array's signals for one layer (per-cycle)");
  cmd->add_option("--vcd-layer", o->vcd_layer, "Layer traced by --vcd (default: the first conv/fc)");
  cmd->callback([o] { run_run(*o); });
}

}  // namespace rcsim::cli
