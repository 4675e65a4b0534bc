// `ws`, weight-stationary: a fold holds rows k0..k0+sr−1 of W (the reduction, down the array
// rows) × columns n0..n0+sc−1 (output channels) stationary and streams all T = M input patches
// X[m][k0..] through the rows; column c delivers out[m][n0+c]. Stationary rows are read from the
// weight SRAM during the preload (bank conflicts stall it in `overlapped` timing); streamed
// operands from the activation buffer (zero padding is generated, not read).
#include "accel/dataflow/preloaded_array.h"

namespace rcsim {

namespace {

// Plain pointers and sizes, not the job's vectors: the counter stores and SRAM calls in the
// per-cycle loop would otherwise make the compiler reload them every cycle.
struct WsRoles {
  const std::int16_t* w;  // W^T [N][stride]
  const OperandGather& x;
  const std::int32_t* in;
  std::int64_t stride;
  const JobWeightRows& rows;
  IWeightSram& wsram;
  LayerCounters& c;

  void preload(const Fold& f, std::int64_t k, std::vector<std::int32_t>& w_in) {
    const std::int16_t* col = w + f.c0 * stride + k;
    for (int cc = 0; cc < int(w_in.size()); ++cc) w_in[cc] = cc < f.sc ? col[cc * stride] : 0;
    wsram.read_row(rows, k, f.c0, f.sc);
  }
  std::int32_t stream(const Fold& f, int r, std::int64_t m) {
    const std::int32_t a = x.addr(m, f.r0 + r);
    c.act_reads += a >= 0;
    return a < 0 ? 0 : in[a];
  }
  void output(const Fold& f, int cc, std::int64_t m_streamed, std::int64_t& m, std::int64_t& n) const {
    m = m_streamed, n = f.c0 + cc;
  }
};

class WsDataflow final : public PreloadedDataflow {
 public:
  Dataflow id() const override { return Dataflow::WS; }
  FoldAxes axes() const override { return {"k0", "n0", "pixel"}; }

  GemmProgram program(const GemmJob& job, const ArchParams& arch, const WeightLayout& wl) const override {
    if (arch.timing != TimingMode::Overlapped) return IDataflow::program(job, arch, wl);
    // Bank conflicts: a row needing k words from one bank holds the shift for k − 1 cycles.
    // (SCALE-Sim's timing keeps its SRAM that delivers a whole row per cycle.)
    GemmProgram prog;
    prog.plan = plan(job.g, arch.rows, arch.cols);
    const FoldPlan& p = prog.plan;
    std::vector<std::int64_t> stalls(p.folds.size(), 0);
    bool any = false;
    prog.load_sequence.resize(p.folds.size());
    for (std::size_t f = 0; f < p.folds.size(); ++f) {
      const Fold& fd = p.folds[f];
      auto& seq = prog.load_sequence[f];
      for (int j = 0; j < p.R; ++j) {
        const int row = p.R - 1 - j;
        const int words = row < fd.sr ? wl.row_max_bank_words(job.rows, fd.r0 + row, fd.c0, fd.sc) : 1;
        for (int w = 1; w < words; ++w) seq.push_back(-1);
        seq.push_back(std::int16_t(j));
        stalls[f] += words - 1;
      }
      any |= stalls[f] > 0;
    }
    if (!any) prog.load_sequence.clear();
    prog.schedule = schedule(p, arch.timing, &stalls);
    return prog;
  }

  void closed_form_counters(const GemmJob& job, const GemmProgram& prog, const WeightLayout& wl,
                            LayerCounters& c) const override {
    closed_form_array(prog.plan, c);
    for (const Fold& f : prog.plan.folds)
      for (std::int64_t r = 0; r < f.sr; ++r) {
        c.act_reads += job.inbounds_per_k[f.r0 + r];
        wl.add_row_reads(job.rows, f.r0 + r, f.c0, f.sc, c.wsram_reads);
      }
  }

  std::int64_t run_per_cycle(const GemmJob& job, const GemmProgram& prog, ArrayPorts& hw,
                             std::vector<std::int32_t>& acc, LayerCounters& c) const override {
    WsRoles roles{job.w.padded16(), job.x, hw.in.data(), job.w.padded_stride(), job.rows, hw.wsram, c};
    return drive(job, prog, hw, roles, acc, c);
  }

 protected:
  void dims(const GemmView& g, std::int64_t& Sr, std::int64_t& Sc, std::int64_t& T) const override {
    Sr = g.K, Sc = g.N, T = g.M;
  }
};

}  // namespace

const IDataflow& ws_dataflow() {
  static const WsDataflow d;
  return d;
}

}  // namespace rcsim
