// `is`, input-stationary (`timing: scalesim` only): WS with the operand roles swapped. A fold
// holds X^T rows k0..k0+sr−1 (the reduction, down the array rows) × input patches m0..m0+sc−1
// stationary — PE(r, c) holds X[m0+c][k0+r], preloaded from the activation buffer — and streams
// the T = N weight columns: row n of W^T (W[k0..][n]) enters like a WS pixel, one weight per
// array row per cycle from the weight SRAM. Column c delivers out^T (streamed index n →
// out[m0+c][n]), written back transposed, so post-processing sees the same M×N layout.
#include "accel/dataflow/preloaded_array.h"

namespace rcsim {

namespace {

// Plain pointers and sizes, not the job's vectors: the counter stores and SRAM calls in the
// per-cycle loop would otherwise make the compiler reload them every cycle.
struct IsRoles {
  const std::int16_t* w;  // W^T [N][stride]
  const OperandGather& x;
  const std::int32_t* in;
  std::int64_t stride;
  const JobWeightRows& rows;
  IWeightSram& wsram;
  LayerCounters& c;

  void preload(const Fold& f, std::int64_t k, std::vector<std::int32_t>& w_in) {
    std::int64_t reads = 0;
    for (int cc = 0; cc < int(w_in.size()); ++cc) {
      const std::int32_t a = cc < f.sc ? x.addr(f.c0 + cc, k) : -1;
      w_in[cc] = a < 0 ? 0 : in[a];
      reads += a >= 0;
    }
    c.act_reads += reads;
  }
  std::int32_t stream(const Fold& f, int r, std::int64_t n) {
    // One weight of row k0+r per cycle from its bank.
    wsram.read_row(rows, f.r0 + r, n, 1);
    return w[n * stride + f.r0 + r];
  }
  void output(const Fold& f, int cc, std::int64_t n_streamed, std::int64_t& m, std::int64_t& n) const {
    m = f.c0 + cc, n = n_streamed;
  }
};

class IsDataflow final : public PreloadedDataflow {
 public:
  Dataflow id() const override { return Dataflow::IS; }
  FoldAxes axes() const override { return {"k0", "m0", "output channel"}; }

  void closed_form_counters(const GemmJob& job, const GemmProgram& prog, const WeightLayout& wl,
                            LayerCounters& c) const override {
    const FoldPlan& p = prog.plan;
    closed_form_array(p, c);
    for (const Fold& f : p.folds)
      for (std::int64_t r = 0; r < f.sr; ++r) {
        for (std::int64_t cc = 0; cc < f.sc; ++cc) c.act_reads += job.x.addr(f.c0 + cc, f.r0 + r) >= 0;
        for (std::int64_t n = 0; n < p.T; ++n) wl.add_row_reads(job.rows, f.r0 + r, n, 1, c.wsram_reads);
      }
  }

  std::int64_t run_per_cycle(const GemmJob& job, const GemmProgram& prog, ArrayPorts& hw,
                             std::vector<std::int32_t>& acc, LayerCounters& c) const override {
    IsRoles roles{job.w.padded16(), job.x, hw.in.data(), job.w.padded_stride(), job.rows, hw.wsram, c};
    return drive(job, prog, hw, roles, acc, c);
  }

 protected:
  void dims(const GemmView& g, std::int64_t& Sr, std::int64_t& Sc, std::int64_t& T) const override {
    Sr = g.K, Sc = g.M, T = g.N;
  }
};

}  // namespace

const IDataflow& is_dataflow() {
  static const IsDataflow d;
  return d;
}

}  // namespace rcsim
