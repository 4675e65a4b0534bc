#pragma once
// Dataflows on the weight-stationary array (IPeArray, docs/pe-array-timing.md): each fold's
// stationary operand is preloaded row by row into one of the PEs' two buffers (while the
// previous fold still computes, in `overlapped` timing), the other operand streams through the
// rows (row r skewed by r cycles) and the results leave at the bottom edge (column c skewed by
// R−1+c). The reduction runs down the array's rows, so a column range's partial sums accumulate
// over its row folds. `ws` (stationary W, streamed X) and `is` (stationary X^T, streamed W^T)
// derive from PreloadedDataflow and differ only in dims() and their operand roles.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "accel/dataflow/dataflow.h"
#include "accel/pe_array/i_pe_array.h"
#include "core/int_arith.h"

namespace rcsim {

class PreloadedDataflow : public IDataflow {
 public:
  FoldPlan plan(const GemmView& g, int rows, int cols) const override;
  /// scalesim: folds serialized (R preload cycles, then T + R + C − 2 compute cycles);
  /// overlapped: one loader, two buffers — fold f preloads once the loader is free and fold
  /// f−2's last operand has left its buffer, and streams right behind fold f−1.
  FoldSchedule schedule(const FoldPlan& p, TimingMode timing, const std::vector<std::int64_t>* load_stalls) const override;
  /// folds · (2R + C + T − 2) − 1.
  std::int64_t scalesim_cycles(const GemmView& g, int rows, int cols) const override;
  std::string array_family() const override { return "weight-stationary array"; }
  std::vector<std::string> backends() const override { return pe_array_backends(); }
  std::unique_ptr<IPeArrayBackend> make_array(const std::string& backend, const PeArrayOptions& o) const override {
    return make_pe_array(backend, o);
  }

 protected:
  /// SCALE-Sim's operand-matrix dimensions: Sr down the array rows (the reduction), Sc across its
  /// columns, T streamed.
  virtual void dims(const GemmView& g, std::int64_t& Sr, std::int64_t& Sc, std::int64_t& T) const = 0;
  /// The role-independent closed-form counters: PE activity, stationary loads, link hops,
  /// accumulator traffic.
  static void closed_form_array(const FoldPlan& p, LayerCounters& c);

  /// Per-cycle driver. `Roles` supplies the operands and counts their reads:
  ///   void preload(const Fold& f, std::int64_t k, std::vector<std::int32_t>& w_in):
  ///       stationary row k (absolute index along Sr) of fold f into w_in[0, sc), zeros beyond;
  ///   std::int32_t stream(const Fold& f, int r, std::int64_t t): the operand entering used row
  ///       r at streamed index t;
  ///   void output(const Fold& f, int c, std::int64_t t, std::int64_t& m, std::int64_t& n): the
  ///       output column c's result at streamed index t belongs to.
  template <class Roles>
  static std::int64_t drive(const GemmJob& job, const GemmProgram& prog, ArrayPorts& hw, Roles& roles,
                            std::vector<std::int32_t>& acc, LayerCounters& c);

 private:
  /// The array's signals in one cycle, for the observer (VCD).
  struct Ports final : SignalSource {
    Ports(const PeArrayInputs& in, const IPeArray& pe) : in(in), pe(pe) {}
    void probe(SignalSink& sink) const override { probe_ws_array(in, pe, sink); }
    const PeArrayInputs& in;
    const IPeArray& pe;
  };
};

template <class Roles>
std::int64_t PreloadedDataflow::drive(const GemmJob& job, const GemmProgram& prog, ArrayPorts& hw, Roles& roles,
                                      std::vector<std::int32_t>& acc, LayerCounters& c) {
  const FoldPlan& p = prog.plan;
  const FoldSchedule& s = prog.schedule;
  const auto& seq = prog.load_sequence;
  const int R = p.R, C = p.C;
  const std::int64_t F = std::int64_t(p.folds.size()), T = p.T, N = job.g.N;
  IPeArray& pe = array_as<IPeArray>(hw.array);
  pe.reset();
  PeArrayInputs x;
  x.resize(R, C);
  const Ports ports(x, pe);
  std::vector<std::int64_t> row_f(R, 0), col_f(C, 0);
  std::int64_t lf = 0;
  std::int64_t delivered = -1;
  for (std::int64_t t = 0; t <= s.last_cycle; ++t) {
    // Preload: in load cycle j the stationary row R−1−j enters at the top (docs/pe-array-timing.md).
    while (lf < F && t >= s.load_start[lf] + s.load_cycles[lf]) ++lf;
    x.load = lf < F && t >= s.load_start[lf];
    int j = x.load ? int(t - s.load_start[lf]) : 0;
    if (x.load && !seq.empty()) {
      j = seq[lf][t - s.load_start[lf]];
      if (j < 0) {  // bank conflict: the row's next word is still being read
        x.load = false;
        ++c.bank_conflict_stalls;
      }
    }
    if (x.load) {
      const Fold& f = p.folds[lf];
      const int row = R - 1 - j;
      x.load_sel = std::uint8_t(lf & 1);
      if (row < f.sr) roles.preload(f, f.r0 + row, x.w_in);
      else std::fill(x.w_in.begin(), x.w_in.end(), 0);
      c.pe_weight_loads += std::int64_t(R) * C;
    }
    // Operands: row r carries streamed index m of its current fold at t0 + m + r.
    for (int r = 0; r < R; ++r) {
      std::int64_t f = row_f[r];
      while (f < F && t >= s.t0[f] + r + T) ++f;
      row_f[r] = f;
      if (f < F && t >= s.t0[f] + r) {
        const Fold& fd = p.folds[f];
        x.act_valid[r] = 1;
        x.act_sel[r] = std::uint8_t(f & 1);
        if (r < fd.sr) {
          x.act_in[r] = roles.stream(fd, r, t - s.t0[f] - r);
          c.pe_active_cycles += fd.sc;
          c.link_operand_transfers += fd.sc - 1;
        } else {
          x.act_in[r] = 0;  // unused row: a zero operand keeps the column's psum valid
        }
      } else {
        x.act_valid[r] = 0;
        x.act_in[r] = 0;
      }
    }
    pe.set_inputs(x);
    pe.step();
    hw.clock.tick();
    const PeArrayOutputs& out = pe.outputs();
    if (hw.observer) hw.observer->on_cycle(t, ports);
    // Results: column c's sum for streamed index m is at the bottom after the edge of t0 + m + R−1 + c.
    for (int cc = 0; cc < C; ++cc) {
      std::int64_t f = col_f[cc];
      while (f < F && t >= s.t0[f] + R - 1 + cc + T) ++f;
      col_f[cc] = f;
      if (f >= F || t < s.t0[f] + R - 1 + cc) continue;
      if (!out.psum_valid[cc])
        throw InternalError("PE array (" + pe.backend() + "): no valid psum in column " + std::to_string(cc) +
                            " at cycle " + std::to_string(t) + " of layer '" + c.layer + "'");
      delivered = t;
      const Fold& fd = p.folds[f];
      if (cc >= fd.sc) continue;
      std::int64_t m = 0, n = 0;
      roles.output(fd, cc, t - s.t0[f] - (R - 1) - cc, m, n);
      std::int32_t& a = acc[m * N + n];
      if (fd.first_of_column_range) {
        a = arith::wrap_add(job.bias[n], out.psum_out[cc]);
      } else {
        a = arith::wrap_add(a, out.psum_out[cc]);
        ++c.accum_reads;
      }
      ++c.accum_writes;
      c.link_psum_transfers += R - 1;
    }
  }
  return delivered;
}

}  // namespace rcsim
