#include "cosim/rtl_pe_array.h"

#include <algorithm>

#include "accel/pe_array/systolic_os_pe_array.h"
#include "accel/pe_array/systolic_pe_array.h"
#include "cosim/rtl_array_models.h"

namespace rcsim::cosim {

namespace {

/// The model of this shape and precision, or an InputError naming the built ones.
const RtlArrayModel& find_model(const char* family, int rows, int cols, int bits) {
  for (const RtlArrayModel& m : rtl_array_models())
    if (m.rows == rows && m.cols == cols && m.bits == bits) return m;
  const std::string shape = std::to_string(rows) + "x" + std::to_string(cols);
  std::string sizes, list;
  for (const auto& s : rtl_pe_array_sizes()) {
    sizes += (sizes.empty() ? "" : ", ") + s;
    list += s + ";";
  }
  throw InputError(std::string("PE-array backend 'rtl': no verilated int") + std::to_string(bits) + " " + family +
                   " array of " + shape + " in this build (available: " + (sizes.empty() ? "none" : sizes) +
                   ", ws and os, int8 and int16; add shapes with cmake -DRCSIM_RTL_ARRAYS=\"" + list + shape +
                   "\")");
}

/// What both lock-step pairs share: the C++ reference and the RTL array driven with the same
/// inputs, reset together, the RTL side's outputs and registers shown; `step` (compare the two
/// after each edge) is each array family's own.
template <class Array, class Inputs>
class LockstepBase : public Array {
 public:
  LockstepBase(std::unique_ptr<Array> ref, std::unique_ptr<Array> rtl) : ref_(std::move(ref)), rtl_(std::move(rtl)) {
    if (ref_->rows() != rtl_->rows() || ref_->cols() != rtl_->cols())
      throw InternalError("lockstep: backends of different array sizes");
  }
  int rows() const override { return rtl_->rows(); }
  int cols() const override { return rtl_->cols(); }
  void reset() override {
    if (cycle_ >= 0) ++resets_;  // the first reset starts run 0
    cycle_ = 0;
    ref_->reset();
    rtl_->reset();
  }
  void set_inputs(const Inputs& in) override {
    ref_->set_inputs(in);
    rtl_->set_inputs(in);
  }
  std::string backend() const override { return "lockstep"; }
  /// The RTL side's registers (the outputs are the RTL's too).
  void probe_state(SignalSink& sink) const override { rtl_->probe_state(sink); }

 protected:
  std::unique_ptr<Array> ref_, rtl_;
  std::int64_t resets_ = 0;
  std::int64_t cycle_ = -1;  // −1: never reset
};

class LockstepPeArray final : public LockstepBase<IPeArray, PeArrayInputs> {
 public:
  using LockstepBase::LockstepBase;
  void step() override {
    ref_->step();
    rtl_->step();
    const PeArrayOutputs& a = ref_->outputs();
    const PeArrayOutputs& b = rtl_->outputs();
    for (int c = 0; c < cols(); ++c)
      if (a.psum_out[c] != b.psum_out[c] || a.psum_valid[c] != b.psum_valid[c])
        throw CosimMismatch(ref_->backend() + " and " + rtl_->backend() + " PE arrays differ after edge " +
                                std::to_string(cycle_) +
                                " of array run " + std::to_string(resets_) + " at PE(" +
                                std::to_string(rows() - 1) + "," + std::to_string(c) + "): " + ref_->backend() + " psum " +
                                std::to_string(a.psum_out[c]) + " valid " + std::to_string(a.psum_valid[c]) +
                                ", " + rtl_->backend() + " psum " + std::to_string(b.psum_out[c]) + " valid " +
                                std::to_string(b.psum_valid[c]),
                            resets_, cycle_, c);
    ++cycle_;
  }
  const PeArrayOutputs& outputs() const override { return rtl_->outputs(); }
};

/// "fold F sum S" of the sum PE(row, col) hands out in `d`, or "nothing".
std::string hand_out_text(const std::vector<OsDrain>& d, int row, int col) {
  for (const OsDrain& x : d)
    if (x.row == row && x.col == col) return "fold " + std::to_string(x.fold) + " sum " + std::to_string(x.sum);
  return "nothing";
}

class LockstepOsPeArray final : public LockstepBase<IOsPeArray, OsPeArrayInputs> {
 public:
  using LockstepBase::LockstepBase;
  void step() override {
    ref_->step();
    rtl_->step();
    const std::vector<OsDrain>& a = ref_->drained();
    const std::vector<OsDrain>& b = rtl_->drained();
    // Both list hand-outs from the far end (row R−1, column C−1) backwards: the first entry
    // that differs names the PE nearest that end where the two disagree.
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
      const bool same = i < a.size() && i < b.size() && a[i].row == b[i].row && a[i].col == b[i].col &&
                        a[i].fold == b[i].fold && a[i].sum == b[i].sum;
      if (same) continue;
      const OsDrain& at = i >= a.size()                                                      ? b[i]
                          : i >= b.size()                                                    ? a[i]
                          : (a[i].row > b[i].row || (a[i].row == b[i].row && a[i].col >= b[i].col)) ? a[i]
                                                                                             : b[i];
      throw CosimMismatch(ref_->backend() + " and " + rtl_->backend() + " PE arrays differ after edge " +
                              std::to_string(cycle_) + " of array run " + std::to_string(resets_) + " at PE(" +
                              std::to_string(at.row) + "," + std::to_string(at.col) + "): " + ref_->backend() +
                              " hands out " + hand_out_text(a, at.row, at.col) + ", " + rtl_->backend() + " " +
                              hand_out_text(b, at.row, at.col),
                          resets_, cycle_, at.col, at.row);
    }
    ++cycle_;
  }
  const std::vector<OsDrain>& drained() const override { return rtl_->drained(); }
  bool handed_out(int r, int c, std::int32_t& sum) const override { return rtl_->handed_out(r, c, sum); }
};

/// The output-stationary self-test fault (see with_os_fault): fires once per run.
class FaultyOsPeArray final : public IOsPeArray {
 public:
  FaultyOsPeArray(std::unique_ptr<IOsPeArray> inner, const PeArrayFault& f) : inner_(std::move(inner)), f_(f) {}
  int rows() const override { return inner_->rows(); }
  int cols() const override { return inner_->cols(); }
  void reset() override {
    inner_->reset();
    run_ += edge_ >= 0;  // the first reset starts run 0
    edge_ = 0;
    fired_ = false;
  }
  void set_inputs(const OsPeArrayInputs& in) override { inner_->set_inputs(in); }
  void step() override {
    inner_->step();
    out_ = inner_->drained();
    if (!fired_ && run_ == f_.run && edge_ >= f_.edge)
      for (OsDrain& d : out_)
        if (d.col == f_.column) {
          d.sum += 1;
          fired_ = true;
          break;
        }
    ++edge_;
  }
  const std::vector<OsDrain>& drained() const override { return out_; }
  std::string backend() const override { return inner_->backend() + "-with-fault"; }
  void probe_state(SignalSink& sink) const override { inner_->probe_state(sink); }

 private:
  std::unique_ptr<IOsPeArray> inner_;
  PeArrayFault f_;
  std::int64_t run_ = 0, edge_ = -1;  // edge −1: never reset
  bool fired_ = false;
  std::vector<OsDrain> out_;
};

}  // namespace

std::vector<std::string> rtl_pe_array_sizes() {
  std::vector<std::string> sizes;
  for (const RtlArrayModel& m : rtl_array_models()) {
    const std::string s = std::to_string(m.rows) + "x" + std::to_string(m.cols);
    if (std::find(sizes.begin(), sizes.end(), s) == sizes.end()) sizes.push_back(s);
  }
  return sizes;
}

std::unique_ptr<IPeArray> make_rtl_pe_array(int rows, int cols, int bits) {
  return find_model("weight-stationary", rows, cols, bits).make_ws(rows, cols);
}

std::unique_ptr<IOsPeArray> make_rtl_os_pe_array(int rows, int cols, int bits) {
  return find_model("output-stationary", rows, cols, bits).make_os(rows, cols);
}

std::unique_ptr<IPeArray> make_lockstep_pe_array(int rows, int cols, int bits) {
  return std::make_unique<LockstepPeArray>(std::make_unique<SystolicPeArray>(rows, cols),
                                           make_rtl_pe_array(rows, cols, bits));
}

std::unique_ptr<IPeArray> make_lockstep_pe_array(std::unique_ptr<IPeArray> reference,
                                                 std::unique_ptr<IPeArray> dut) {
  return std::make_unique<LockstepPeArray>(std::move(reference), std::move(dut));
}

std::unique_ptr<IOsPeArray> make_lockstep_os_pe_array(int rows, int cols, int bits) {
  return std::make_unique<LockstepOsPeArray>(std::make_unique<SystolicOsPeArray>(rows, cols),
                                             make_rtl_os_pe_array(rows, cols, bits));
}

std::unique_ptr<IOsPeArray> make_lockstep_os_pe_array(std::unique_ptr<IOsPeArray> reference,
                                                      std::unique_ptr<IOsPeArray> dut) {
  return std::make_unique<LockstepOsPeArray>(std::move(reference), std::move(dut));
}

std::unique_ptr<IOsPeArray> with_os_fault(std::unique_ptr<IOsPeArray> array, const PeArrayFault& fault) {
  if (!fault.enabled) return array;
  return std::make_unique<FaultyOsPeArray>(std::move(array), fault);
}

void register_rtl_backends() {
  register_pe_array_backend("rtl", [](const PeArrayOptions& o) {
    return with_fault(make_rtl_pe_array(o.rows, o.cols, o.precision), o.fault);
  });
  // The fault goes into the RTL side, so the comparator reports it at its edge and column.
  register_pe_array_backend("lockstep", [](const PeArrayOptions& o) {
    return make_lockstep_pe_array(std::make_unique<SystolicPeArray>(o.rows, o.cols),
                                  with_fault(make_rtl_pe_array(o.rows, o.cols, o.precision), o.fault));
  });
  register_os_pe_array_backend("rtl", [](const PeArrayOptions& o) {
    return with_os_fault(make_rtl_os_pe_array(o.rows, o.cols, o.precision), o.fault);
  });
  register_os_pe_array_backend("lockstep", [](const PeArrayOptions& o) {
    return make_lockstep_os_pe_array(std::make_unique<SystolicOsPeArray>(o.rows, o.cols),
                                     with_os_fault(make_rtl_os_pe_array(o.rows, o.cols, o.precision), o.fault));
  });
}

}  // namespace rcsim::cosim
