// `rcsim cosim`: a network on the accelerator with the Verilated RTL PE array of its dataflow
// (rtl/pe_array.sv for ws and is, rtl/pe_array_os.sv for os) in lock-step with the C++ systolic model, compared after every clock edge; then the whole run
// (outputs, cycles, every counter of every layer) against a separate systolic-only run.
// The first difference stops the run with its cycle, layer, fold, pixel and PE (exit 3: a
// disagreement between models is a bug, not a user error).
//
// Also registers the "rtl" and "lockstep" PE-array backends, so `rcsim run --backend rtl` works.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/model_options.h"
#include "core/errors.h"

#ifdef RCSIM_HAVE_COSIM
#include "accel/accelerator.h"
#include "accel/dataflow/dataflow.h"
#include "core/arch_params.h"
#include "cosim/rtl_pe_array.h"
#include "eval/model_source.h"
#include "host/dataset.h"
#include "host/int_reference.h"
#include "host/output_file.h"
#include "host/weights_file.h"
#include "mapper/gemm_view.h"
#endif

namespace rcsim::cli {

namespace {

struct CosimOptions {
  std::string net = "mnist_lenet";
  std::string weights;
  std::uint64_t seed = 1;
  std::string arch = "default";
  std::vector<std::string> sets;
  std::vector<int> widths;  // empty = full width
  int images = 1;
  std::string dataset;
  std::string data_dir;
  std::string inject_fault;  // "RUN:EDGE:COLUMN": self-test of the mismatch report
  std::string vcd;           // waveform of the lock-step (RTL) run at the first width
  std::string vcd_layer;
  CalibrationOptions calibration;
};

#ifdef RCSIM_HAVE_COSIM

/// --inject-fault RUN:EDGE:COLUMN: the RTL side of the lock-step array reads one too high in one
/// column after one edge of one array run (run = 0-based count of array resets, one per conv/fc
/// layer and image), so the mismatch report (image, layer, fold, pixel, PE) can be checked end to
/// end; on the output-stationary array, whose sums leave only at fold ends, the column's first sum
/// handed out at or after that edge. The backend factory injects it (PeArrayOptions::fault).
PeArrayFault parse_fault(const std::string& spec) {
  PeArrayFault f;
  char c1 = 0, c2 = 0;
  std::istringstream in(spec);
  if (!(in >> f.run >> c1 >> f.edge >> c2 >> f.column) || c1 != ':' || c2 != ':' || !in.eof())
    throw InputError("--inject-fault '" + spec + "': expected RUN:EDGE:COLUMN (e.g. 1:200:3)");
  if (f.run < 0 || f.edge < 0 || f.column < 0)
    throw InputError("--inject-fault '" + spec + "': RUN, EDGE and COLUMN must not be negative");
  f.enabled = true;
  return f;
}

/// Turns the lock-step array's (array run, edge, column) into image, layer, fold and pixel.
std::string locate(const cosim::CosimMismatch& e, const Network& net, const ArchParams& arch, int k) {
  std::vector<std::size_t> weighted;
  for (std::size_t i = 0; i < net.layers.size(); ++i)
    if (net.layers[i].has_weights()) weighted.push_back(i);
  const std::size_t run = std::size_t(e.reset_index);
  const std::size_t li = weighted[run % weighted.size()];
  const IDataflow& df = dataflow_plugin(arch.dataflow);
  const FoldPlan plan = df.plan(gemm_view(net, li, k), arch.rows, arch.cols);
  const FoldSchedule s = df.schedule(plan, arch.timing, nullptr);
  const FoldAxes axes = df.axes();
  // The output-stationary lock-step array names the PE's row (its sums leave from every PE);
  // the weight-stationary one compares the bottom row only.
  const bool os = e.row >= 0;
  const int row = os ? e.row : arch.rows - 1;
  std::string where = "image " + std::to_string(run / weighted.size()) + ", layer '" + net.layers[li].name +
                      "', cycle " + std::to_string(e.cycle) + ", PE(" + std::to_string(row) + "," +
                      std::to_string(e.column) + ")";
  for (std::size_t f = 0; f < plan.folds.size(); ++f) {
    const Fold& fd = plan.folds[f];
    const std::string fold = ", fold " + std::to_string(f) + " (" + axes.row0 + " " + std::to_string(fd.r0) + ", " +
                             axes.col0 + " " + std::to_string(fd.c0) + ")";
    if (os) {
      // Output-stationary: PE(r,c) hands out output (m0+r, n0+c) of fold f after the edge of
      // t0(f) + T−1 + r + c, when the fold's last operand passes it (docs/pe-array-timing.md).
      if (e.cycle == s.t0[f] + plan.T - 1 + row + e.column)
        return where + fold + ", output (" + std::to_string(fd.r0 + row) + ", " + std::to_string(fd.c0 + e.column) +
               ")";
      continue;
    }
    // Weight-stationary: column c delivers streamed index m of fold f after the edge of
    // t0(f) + m + R−1 + c (docs/pe-array-timing.md).
    const std::int64_t first = s.t0[f] + arch.rows - 1 + e.column;
    if (e.cycle >= first && e.cycle < first + plan.T)
      return where + fold + ", " + axes.streamed + " " + std::to_string(e.cycle - first);
  }
  return where + ", outside any fold's result window";
}

/// The first difference between two runs of the same images, or "".
std::string compare_runs(const std::vector<InferenceRun>& a, const std::vector<InferenceRun>& b) {
  for (std::size_t n = 0; n < a.size(); ++n) {
    if (a[n].cycles != b[n].cycles)
      return "image " + std::to_string(n) + ": total cycles " + std::to_string(a[n].cycles) + " vs " +
             std::to_string(b[n].cycles);
    for (std::size_t i = 0; i < a[n].layers.size(); ++i) {
      const LayerRun& x = a[n].layers[i];
      const LayerRun& y = b[n].layers[i];
      if (x.output != y.output) return "image " + std::to_string(n) + ", layer '" + x.counters.layer + "': outputs differ";
      if (!(x.counters == y.counters))
        return "image " + std::to_string(n) + ", layer '" + x.counters.layer + "': counters differ (cycles " +
               std::to_string(x.counters.cycles) + " vs " + std::to_string(y.counters.cycles) + ")";
    }
  }
  return "";
}

void run_cosim(const CosimOptions& o) {
  const eval::LoadedModel model = eval::load_model(o.net);
  const Network& net = *model.net;
  const ArchParams arch = load_arch(o.arch, o.sets);
  const IDataflow& df = dataflow_plugin(arch.dataflow);
  const std::vector<std::string> backends = df.backends();
  if (std::find(backends.begin(), backends.end(), "lockstep") == backends.end())
    throw InputError("cosim: arch '" + arch.name + "' has dataflow '" + arch.dataflow.name() + "', which runs on the " +
                     df.array_family() + ": it has no RTL model (array.dataflow)");  // every catalogued one has today
  if (o.images < 1) throw InputError("--images must be at least 1 (got " + std::to_string(o.images) + ")");
  // Before any simulation: an array shape or precision with no verilated model of the dataflow's
  // array family is an InputError naming the ones this build has.
  df.make_array("rtl", PeArrayOptions{arch.rows, arch.cols, arch.precision, {}});
  std::vector<int> widths = o.widths;
  if (widths.empty()) widths.push_back(net.width_groups);
  for (int k : widths) net.check_width(k);
  std::string label;
  const QuantizedNetwork qn = eval::load_model_weights(
      model, o.weights, arch.precision, o.seed, resolve_calibration(o.calibration, o.dataset, o.data_dir), &label);

  const Dataset ds = load_run_images(o.dataset, o.data_dir, std::size_t(o.images), net.input, o.seed);
  std::vector<std::vector<std::int32_t>> images;
  for (std::size_t i = 0; i < ds.size(); ++i) images.push_back(quantize_image(qn, ds.image(i)));

  std::cout << "cosim " << net.name << " on " << arch.name << " (" << arch.rows << "x" << arch.cols << " " << arch.dataflow.name() << ", "
            << to_string(arch.timing) << "), weights " << label << ", " << images.size() << " image"
            << (images.size() > 1 ? "s" : "") << "\n";
  for (int k : widths) {
    AccelOptions sys_opts;
    sys_opts.backend = "systolic";
    AccelOptions lock_opts;
    lock_opts.backend = "lockstep";  // int8 or int16 by the arch's precision
    if (!o.inject_fault.empty()) {
      lock_opts.fault = parse_fault(o.inject_fault);
      if (lock_opts.fault.column >= arch.cols)
        throw InputError("--inject-fault '" + o.inject_fault + "': column " + std::to_string(lock_opts.fault.column) +
                         " is outside the " + std::to_string(arch.cols) + "-column array");
    }
    // --vcd: the RTL side's ports and every PE register, first width only; written under a
    // temporary name and renamed once the run agreed.
    const bool trace = !o.vcd.empty() && k == widths.front();
    const std::string vcd_tmp = trace ? o.vcd + ".partial" : "";
    if (trace) refuse_non_regular_target(o.vcd), refuse_non_regular_target(vcd_tmp);  // before the run
    lock_opts.vcd_path = vcd_tmp;
    lock_opts.vcd_layer = o.vcd_layer;
    struct RemovePartial {
      std::string path;
      ~RemovePartial() {
        if (!path.empty()) std::remove(path.c_str());
      }
    } remove_partial{vcd_tmp};
    std::vector<InferenceRun> sys, lock;
    {
      AcceleratorSim sim(qn, arch, sys_opts);
      sys = sim.run(images, k);
    }
    try {
      AcceleratorSim sim(qn, arch, lock_opts);
      lock = sim.run(images, k);
    } catch (const cosim::CosimMismatch& e) {
      throw InternalError("cosim mismatch at width " + std::to_string(k) + ": " + locate(e, net, arch, k) + ": " + e.what());
    }
    // A fault that was asked for but never fired (RUN or EDGE past the end of the run) would report a
    // clean co-simulation: the self-test did not test anything, so say so.
    if (lock_opts.fault.enabled)
      throw InputError("--inject-fault '" + o.inject_fault + "' never fired at width " + std::to_string(k) +
                       ": the run has no such array run, edge or column");
    const std::string diff = compare_runs(sys, lock);
    if (!diff.empty()) throw InternalError("cosim mismatch at width " + std::to_string(k) + ": " + diff);
    bool ref_ok = true;
    for (std::size_t n = 0; n < images.size(); ++n) {
      const auto ref = int_forward(qn, k, images[n]);
      for (std::size_t i = 0; i < ref.size(); ++i) ref_ok = ref_ok && lock[n].layers[i].output == ref[i];
    }
    std::int64_t cycles = 0;
    for (const auto& r : lock) cycles += r.cycles;
    std::cout << "width " << k << "/" << net.width_groups << ": " << cycles
              << " cycles; rtl and systolic " << df.array_family()
              << " identical every cycle (every output after every edge) and per layer (outputs, cycles, counters); "
              << "outputs " << (ref_ok ? "match" : "DO NOT match") << " the integer reference\n";
    if (!ref_ok) throw InternalError("cosim: outputs differ from the integer reference at width " + std::to_string(k));
    if (trace) {
      remove_partial.path.clear();  // commit_file removes it itself on failure
      commit_file(vcd_tmp, o.vcd);
      std::cout << "VCD of the RTL array at width " << k << ": " << o.vcd << "\n";
    }
  }
}

#endif  // RCSIM_HAVE_COSIM

}  // namespace

void add_cosim_command(CommandLine& cl) {
#ifdef RCSIM_HAVE_COSIM
  cosim::register_rtl_backends();
#endif
  auto o = std::make_shared<CosimOptions>();
  Command cmd = cl.add(
      "cosim", "Run a network with the Verilated RTL PE array in lock-step with the SystemC model");
  cmd.option("--net", o->net, kNetHelp).show_default();
  cmd.option("--weights", o->weights,
                  "Weights file (.safetensors); default: the trained weights in workloads/weights; 'random' = seeded random");
  cmd.option("--seed", o->seed, "Seed of random weights and random images").show_default();
  cmd.option("--arch", o->arch, "Architecture YAML path or shipped name").show_default();
  cmd.option("--set", o->sets, "Override an arch field: path=value (repeatable), e.g. array.rows=4");
  cmd.option("--width", o->widths, "Width configuration(s) k, repeatable or comma-separated (default: full)")
      .delimiter(',');
  cmd.option("--images", o->images, "Number of images (dataset test split, or random)").show_default();
  cmd.option("--dataset", o->dataset, "Dataset for images: mnist, fashion-mnist, cifar10, svhn");
  cmd.option("--data-dir", o->data_dir, "Dataset directory (default: the dataset's default location)");
  cmd.option("--inject-fault", o->inject_fault,
                  "Self-test: corrupt the RTL's column COLUMN after edge EDGE of array run RUN (RUN:EDGE:COLUMN; "
                  "output-stationary: the column's first sum handed out at or after that edge); "
                  "the run must stop there with a mismatch report");
  cmd.option("--vcd", o->vcd,
             "Write a VCD of the RTL array (ports and every PE register) for one layer at the first width");
  cmd.option("--vcd-layer", o->vcd_layer, "Layer traced by --vcd (default: the first conv/fc)");
  add_calibration_options(cmd, o->calibration);
  cmd.action([o] {
#ifdef RCSIM_HAVE_COSIM
    run_cosim(*o);
#else
    throw InputError("rcsim was built without Verilator: `rcsim cosim` and the rtl backend are unavailable");
#endif
  });
}

}  // namespace rcsim::cli
