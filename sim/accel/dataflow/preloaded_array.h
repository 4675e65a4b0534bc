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
  const std::int64_t* const t0 = s.t0.data();
  IPeArray& pe = array_as<IPeArray>(hw.array);
  pe.reset();
  PeArrayInputs x;
  x.resize(R, C);
  const Ports ports(x, pe);
  // Work per cycle follows the folds in flight, not R + C: row r carries streamed index m of
  // fold f at t0 + m + r, column c delivers it at t0 + m + R−1 + c, so the rows (columns) busy
  // in a cycle are one contiguous range per fold whose operands (results) are still moving.
  std::int64_t first_in = 0, first_out = 0;  // oldest fold still streaming in / delivering
  std::vector<int> driven;                   // rows given a valid operand last cycle
  driven.reserve(std::size_t(R));
  // Events counted in locals, added to `c` once.
  std::int64_t weight_loads = 0, stalls = 0, active = 0, operand_hops = 0, accum_reads = 0, accum_writes = 0,
               psum_hops = 0;
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
        ++stalls;
      }
    }
    if (x.load) {
      const Fold& f = p.folds[lf];
      const int row = R - 1 - j;
      x.load_sel = std::uint8_t(lf & 1);
      if (row < f.sr) roles.preload(f, f.r0 + row, x.w_in);
      else std::fill(x.w_in.begin(), x.w_in.end(), 0);
      weight_loads += std::int64_t(R) * C;
    }
    // Operands: row r carries streamed index m of its current fold at t0 + m + r; rows r ≥ sr
    // get a valid zero (keeps the column's psum valid). Every other row is a bubble.
    for (const int r : driven) x.act_valid[r] = 0, x.act_in[r] = 0;
    driven.clear();
    while (first_in < F && t >= t0[first_in] + (R - 1) + T) ++first_in;
    for (std::int64_t f = first_in; f < F && t0[f] <= t; ++f) {
      const Fold& fd = p.folds[f];
      const std::int64_t d = t - t0[f];  // row r streams index d − r
      const int r_lo = int(std::max<std::int64_t>(0, d - T + 1)), r_hi = int(std::min<std::int64_t>(R - 1, d));
      const std::uint8_t sel = std::uint8_t(f & 1);
      for (int r = r_lo; r <= r_hi; ++r) {
        x.act_valid[r] = 1;
        x.act_sel[r] = sel;
        x.act_in[r] = r < fd.sr ? roles.stream(fd, r, d - r) : 0;
        driven.push_back(r);
      }
      const std::int64_t used = std::max(0, std::min(r_hi + 1, fd.sr) - r_lo);
      active += used * fd.sc;
      operand_hops += used * (fd.sc - 1);
    }
    pe.set_inputs(x);
    pe.step();
    hw.clock.tick();
    const PeArrayOutputs& out = pe.outputs();
    if (hw.observer) hw.observer->on_cycle(t, ports);
    // Results: column c's sum for streamed index m is at the bottom after the edge of t0 + m + R−1 + c.
    while (first_out < F && t >= t0[first_out] + (R - 1) + (C - 1) + T) ++first_out;
    for (std::int64_t f = first_out; f < F && t0[f] + (R - 1) <= t; ++f) {
      const Fold& fd = p.folds[f];
      const std::int64_t d = t - t0[f] - (R - 1);  // column c delivers index d − c
      const int c_lo = int(std::max<std::int64_t>(0, d - T + 1)), c_hi = int(std::min<std::int64_t>(C - 1, d));
      for (int cc = c_lo; cc <= c_hi; ++cc) {
        if (!out.psum_valid[cc])
          throw InternalError("PE array (" + pe.backend() + "): no valid psum in column " + std::to_string(cc) +
                              " at cycle " + std::to_string(t) + " of layer '" + c.layer + "'");
        delivered = t;
        if (cc >= fd.sc) continue;
        std::int64_t m = 0, n = 0;
        roles.output(fd, cc, d - cc, m, n);
        std::int32_t& a = acc[m * N + n];
        if (fd.first_of_column_range) {
          a = arith::wrap_add(job.bias[n], out.psum_out[cc]);
        } else {
          a = arith::wrap_add(a, out.psum_out[cc]);
          ++accum_reads;
        }
        ++accum_writes;
        psum_hops += R - 1;
      }
    }
  }
  c.pe_weight_loads += weight_loads;
  c.bank_conflict_stalls += stalls;
  c.pe_active_cycles += active;
  c.link_operand_transfers += operand_hops;
  c.accum_reads += accum_reads;
  c.accum_writes += accum_writes;
  c.link_psum_transfers += psum_hops;
  return delivered;
}

}  // namespace rcsim
