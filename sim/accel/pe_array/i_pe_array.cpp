// The weight-stationary array's backend registry (built in: the C++ systolic model), its port
// probe for waveforms, and the fault-injecting wrapper of the co-simulation self-test.
#include "accel/pe_array/i_pe_array.h"

#include "accel/pe_array/systolic_pe_array.h"

namespace rcsim {

namespace {

std::unique_ptr<IPeArray> make_systolic(const PeArrayOptions& o) {
  return with_fault(std::make_unique<SystolicPeArray>(o.rows, o.cols), o.fault);
}

BackendTable<PeArrayFactory>& table() {
  static BackendTable<PeArrayFactory> t("weight-stationary array", {{"systolic", &make_systolic}});
  return t;
}

/// After edge `edge` of run `run` (runs counted by reset()), column `column` reads one too high.
class FaultyPeArray final : public IPeArray {
 public:
  FaultyPeArray(std::unique_ptr<IPeArray> inner, const PeArrayFault& f) : inner_(std::move(inner)), f_(f) {}
  int rows() const override { return inner_->rows(); }
  int cols() const override { return inner_->cols(); }
  void reset() override {
    inner_->reset();
    run_ += edge_ >= 0;  // the first reset starts run 0
    edge_ = 0;
  }
  void set_inputs(const PeArrayInputs& in) override { inner_->set_inputs(in); }
  void step() override {
    inner_->step();
    out_ = inner_->outputs();
    if (run_ == f_.run && edge_ == f_.edge && f_.column < cols()) out_.psum_out[f_.column] += 1;
    ++edge_;
  }
  const PeArrayOutputs& outputs() const override { return out_; }
  std::string backend() const override { return inner_->backend() + "-with-fault"; }
  void probe_state(SignalSink& sink) const override { inner_->probe_state(sink); }

 private:
  std::unique_ptr<IPeArray> inner_;
  PeArrayFault f_;
  std::int64_t run_ = 0, edge_ = -1;  // edge −1: never reset
  PeArrayOutputs out_;
};

}  // namespace

std::unique_ptr<IPeArray> with_fault(std::unique_ptr<IPeArray> array, const PeArrayFault& fault) {
  if (!fault.enabled) return array;
  return std::make_unique<FaultyPeArray>(std::move(array), fault);
}

void register_pe_array_backend(const std::string& name, PeArrayFactory factory) { table().add(name, factory); }

std::vector<std::string> pe_array_backends() { return table().names(); }

std::unique_ptr<IPeArray> make_pe_array(const std::string& backend, const PeArrayOptions& options) {
  return table().find(backend)(options);
}

void probe_ws_array(const PeArrayInputs& in, const IPeArray& pe, SignalSink& sink) {
  const PeArrayOutputs& o = pe.outputs();
  sink.begin_scope("pe_array");
  sink.wire("load", -1, -1, 1, in.load);
  sink.wire("load_sel", -1, -1, 1, in.load_sel);
  for (int r = 0; r < pe.rows(); ++r) {
    sink.wire("act_in", r, -1, 32, in.act_in[r]);
    sink.wire("act_valid", r, -1, 1, in.act_valid[r]);
    sink.wire("act_sel", r, -1, 1, in.act_sel[r]);
  }
  for (int c = 0; c < pe.cols(); ++c) {
    sink.wire("w_in", c, -1, 32, in.w_in[c]);
    sink.wire("psum_out", c, -1, 32, o.psum_out[c]);
    sink.wire("psum_valid", c, -1, 1, o.psum_valid[c]);
  }
  pe.probe_state(sink);
  sink.end_scope();
}

}  // namespace rcsim
