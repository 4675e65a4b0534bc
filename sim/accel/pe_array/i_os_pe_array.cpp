// The output-stationary array's backend registry (built in: the C++ model) and port probe.
#include "accel/pe_array/i_os_pe_array.h"

#include "accel/pe_array/systolic_os_pe_array.h"

namespace rcsim {

namespace {

std::unique_ptr<IOsPeArray> make_systolic(const PeArrayOptions& o) {
  if (o.fault.enabled)
    throw InputError("PE-array fault injection on the output-stationary array is done by its rtl and lockstep "
                     "backends (sim/cosim), not the C++ model");
  return std::make_unique<SystolicOsPeArray>(o.rows, o.cols);
}

BackendTable<OsPeArrayFactory>& table() {
  static BackendTable<OsPeArrayFactory> t("output-stationary array", {{"systolic", &make_systolic}});
  return t;
}

}  // namespace

void register_os_pe_array_backend(const std::string& name, OsPeArrayFactory factory) { table().add(name, factory); }

std::vector<std::string> os_pe_array_backends() { return table().names(); }

std::unique_ptr<IOsPeArray> make_os_pe_array(const std::string& backend, const PeArrayOptions& options) {
  return table().find(backend)(options);
}

bool IOsPeArray::handed_out(int r, int c, std::int32_t& sum) const {
  for (const OsDrain& d : drained())
    if (d.row == r && d.col == c) {
      sum = d.sum;
      return true;
    }
  return false;
}

void probe_os_array(const OsPeArrayInputs& in, const IOsPeArray& pe, SignalSink& sink) {
  sink.begin_scope("pe_array");
  for (int r = 0; r < pe.rows(); ++r) {
    sink.wire("act_in", r, -1, 32, in.act_in[r]);
    sink.wire("act_valid", r, -1, 1, in.act_valid[r]);
    sink.wire("act_last", r, -1, 1, in.act_last[r]);
    sink.wire("act_fold", r, -1, 32, in.act_fold[r]);
  }
  for (int c = 0; c < pe.cols(); ++c) sink.wire("w_in", c, -1, 32, in.w_in[c]);
  pe.probe_state(sink);
  sink.end_scope();
}

}  // namespace rcsim
