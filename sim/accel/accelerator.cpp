// AcceleratorSim: the public face of the SystemC model (accel/accelerator_top.h). Each
// AcceleratorSim owns one configuration's state — including (a share of) the quantized network
// that state points into — and runs it on the process's one elaborated Accelerator module tree.
#include "accel/accelerator.h"

#include <systemc>

#include "accel/accelerator_top.h"
#include "accel/vcd_trace.h"
#include "core/errors.h"

namespace rcsim {

const char* to_string(ExecMode m) { return m == ExecMode::PerCycle ? "per-cycle" : "fast"; }

ExecMode parse_exec_mode(const std::string& s) {
  if (s == "per-cycle") return ExecMode::PerCycle;
  if (s == "fast") return ExecMode::Fast;
  throw InputError("--mode: unknown execution mode '" + s + "' (valid: per-cycle, fast)");
}

namespace {

Accelerator& the_accelerator() {
  // Once per process (set_actions looks the message type up by name: measurable per inference).
  static const bool quiet = [] {
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_, sc_core::SC_DO_NOTHING);
    return true;
  }();
  (void)quiet;
  static Accelerator top("accel");
  return top;
}

}  // namespace

struct AcceleratorSim::Impl {
  Impl(std::shared_ptr<const QuantizedNetwork> q, const ArchParams& arch, const AccelOptions& opts)
      : qn(std::move(q)),
        layout(qn->net, arch),
        setup(*qn, arch, opts, layout),
        dram_cfg(std::make_shared<const dram::DramConfig>(dram::load_dram_config(arch.dram_type))) {}
  // First: the layout and the controller setup keep references into it.
  std::shared_ptr<const QuantizedNetwork> qn;
  WeightLayout layout;  // before setup: its ConfigError (banks vs width groups) is reported first
  ControllerSetup setup;
  /// The DRAM preset, read once per simulator (not per run: `rcsim bench` runs one image per run),
  /// and the identity under which the DRAM module keeps its memo of calls (accel/dram.h).
  std::shared_ptr<const dram::DramConfig> dram_cfg;
  std::unique_ptr<VcdTrace> vcd;
  std::string backend_name() const { return setup.pe ? setup.pe->backend() : "closed-form"; }
};

namespace {

std::shared_ptr<const QuantizedNetwork> non_null(std::shared_ptr<const QuantizedNetwork> qn) {
  if (!qn) throw InternalError("AcceleratorSim: no network");
  return qn;
}

}  // namespace

AcceleratorSim::AcceleratorSim(const QuantizedNetwork& qn, const ArchParams& arch, const AccelOptions& opts)
    : AcceleratorSim(std::make_shared<const QuantizedNetwork>(qn), arch, opts) {}

AcceleratorSim::AcceleratorSim(std::shared_ptr<const QuantizedNetwork> shared_qn, const ArchParams& arch,
                               const AccelOptions& opts)
    : impl_(std::make_unique<Impl>(non_null(std::move(shared_qn)), arch, opts)) {
  const QuantizedNetwork& qn = *impl_->qn;
  the_accelerator();  // elaborate now, before any sc_start
  if (!opts.vcd_path.empty()) {
    if (opts.mode != ExecMode::PerCycle) throw InputError("--vcd needs --mode per-cycle");
    std::size_t layer = 0;
    bool found = false;
    for (std::size_t i = 0; i < qn.net.layers.size(); ++i) {
      const Layer& l = qn.net.layers[i];
      if (opts.vcd_layer.empty() ? l.has_weights() : l.name == opts.vcd_layer) {
        layer = i, found = true;
        break;
      }
    }
    if (!found || !qn.net.layers[layer].has_weights())
      throw InputError("--vcd-layer '" + opts.vcd_layer + "': no conv/fc layer of that name in '" + qn.net.name + "'");
    impl_->vcd = std::make_unique<VcdTrace>(opts.vcd_path, 1.0 / arch.clock_hz);
    impl_->setup.observer = impl_->vcd.get();
    impl_->setup.observed_layer = layer;
  }
}

AcceleratorSim::~AcceleratorSim() = default;

std::vector<InferenceRun> AcceleratorSim::run(const std::vector<std::vector<std::int32_t>>& images, int k) {
  std::vector<InferenceRun> results;
  results.reserve(images.size());
  Impl& im = *impl_;
  Accelerator& top = the_accelerator();
  top.install(im.setup, im.layout, im.dram_cfg);
  top.controller.execute(im.setup, [&] {
    for (const auto& img : images) {
      results.push_back(top.controller.run_image(img, k));
      results.back().backend = im.backend_name();
    }
  });
  if (im.vcd) im.vcd->close();
  return results;
}

void AcceleratorSim::prepare(int k) {
  Impl& im = *impl_;
  Accelerator& top = the_accelerator();
  top.install(im.setup, im.layout, im.dram_cfg);
  top.controller.execute(im.setup, [&] { top.controller.prepare_width(k); });
}

void AcceleratorSim::run_each(std::size_t count, int k, const ImageSource& image, const RunSink& sink) {
  Impl& im = *impl_;
  Accelerator& top = the_accelerator();
  top.install(im.setup, im.layout, im.dram_cfg);
  top.controller.execute(im.setup, [&] {
    for (std::size_t i = 0; i < count; ++i) {
      InferenceRun r = top.controller.run_image(image(i), k);
      r.backend = im.backend_name();
      sink(i, std::move(r));
    }
  });
  if (im.vcd) im.vcd->close();
}

}  // namespace rcsim
