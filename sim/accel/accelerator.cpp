// The SystemC top: one module whose controller thread runs the layer programs. The PE array,
// SRAMs, post-processing and DRAM are plain C++ members driven by that one process (one process
// per PE costs ~60× a loop: ../shared/notes/toolchain.md); time passes through wait().
#include "accel/accelerator.h"

#include <functional>
#include <systemc>

#include "accel/controller.h"
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

class ScClock final : public CycleClock {
 public:
  explicit ScClock(sc_core::sc_time period) : period_(period) {}
  void tick() override { sc_core::wait(period_); }
  void advance(std::int64_t cycles) override {
    if (cycles > 0) sc_core::wait(period_ * double(cycles));
  }

 private:
  sc_core::sc_time period_;
};

// The one SystemC module of the process (SystemC allows no new module once sc_start ran): its
// controller thread executes the job of whichever AcceleratorSim called run(), so any number of
// accelerator configurations can run one after another in one process.
SC_MODULE(Accelerator) {
  SC_HAS_PROCESS(Accelerator);
  explicit Accelerator(sc_core::sc_module_name name) : sc_core::sc_module(name) {
    SC_THREAD(controller_thread);
  }

  sc_core::sc_event start;
  std::function<void()> job;  // runs inside the thread; may call wait()
  std::exception_ptr error;
  bool pending = false;  // a job was set; the thread may not be waiting yet at the first sc_start

  void controller_thread() {
    for (;;) {
      while (!pending) sc_core::wait(start);
      pending = false;
      try {
        job();
      } catch (...) {
        error = std::current_exception();
      }
    }
  }

  void execute(std::function<void()> j) {
    job = std::move(j);
    error = nullptr;
    pending = true;
    if (sc_core::sc_get_status() != sc_core::SC_ELABORATION) start.notify(sc_core::SC_ZERO_TIME);
    sc_core::sc_start();
    job = nullptr;
    if (error) std::rethrow_exception(error);
  }
};

Accelerator& the_accelerator() {
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_, sc_core::SC_DO_NOTHING);
  static Accelerator top("accel");
  return top;
}

}  // namespace

struct AcceleratorSim::Impl {
  Impl(const QuantizedNetwork& qn, const ArchParams& arch, const AccelOptions& opts)
      : controller(qn, arch, opts), clock(sc_core::sc_time(1.0 / arch.clock_hz, sc_core::SC_SEC)) {}
  Controller controller;
  ScClock clock;
  std::unique_ptr<VcdTrace> vcd;
};

AcceleratorSim::AcceleratorSim(const QuantizedNetwork& qn, const ArchParams& arch, const AccelOptions& opts)
    : impl_(std::make_unique<Impl>(qn, arch, opts)) {
  the_accelerator();  // elaborate now, before any sc_start
  if (!opts.vcd_path.empty()) {
    if (opts.mode != ExecMode::PerCycle) throw InputError("--vcd needs --mode per-cycle");
    if (arch.dataflow != Dataflow::WS) throw InputError("--vcd traces the weight-stationary array only");
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
    impl_->vcd = std::make_unique<VcdTrace>(opts.vcd_path, arch.rows, arch.cols, 1.0 / arch.clock_hz);
    impl_->controller.set_observer(impl_->vcd.get(), layer);
  }
}

AcceleratorSim::~AcceleratorSim() = default;

std::vector<InferenceRun> AcceleratorSim::run(const std::vector<std::vector<std::int32_t>>& images, int k) {
  std::vector<InferenceRun> results;
  Impl& im = *impl_;
  the_accelerator().execute([&] {
    for (const auto& img : images) results.push_back(im.controller.run_image(img, k, im.clock));
  });
  if (im.vcd) im.vcd->close();
  return results;
}

}  // namespace rcsim
