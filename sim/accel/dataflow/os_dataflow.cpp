// `os`, output-stationary, on the output-stationary array (i_os_pe_array.h): a fold holds
// outputs m0..m0+sr−1 (array rows) × n0..n0+sc−1 (array columns) and streams the reduction
// T = K through time — X[m0+r][k] enters row r at t0 + k + r from the activation buffer,
// W[k][n0+c] enters column c at t0 + k + c from the weight SRAM (one row read per k) — and each
// PE hands its finished sum out when the fold's last operand has passed. `overlapped` timing
// double-buffers the accumulators, so the next fold streams right behind the current one.
#include "accel/dataflow/dataflow.h"
#include "accel/pe_array/i_os_pe_array.h"
#include "core/int_arith.h"

namespace rcsim {

namespace {

struct OsArrayPorts final : SignalSource {
  OsArrayPorts(const OsPeArrayInputs& in, const IOsPeArray& pe) : in(in), pe(pe) {}
  void probe(SignalSink& sink) const override { probe_os_array(in, pe, sink); }
  const OsPeArrayInputs& in;
  const IOsPeArray& pe;
};

class OsDataflow final : public IDataflow {
 public:
  Dataflow id() const override { return Dataflow::OS; }
  FoldAxes axes() const override { return {"m0", "n0", "k"}; }

  FoldPlan plan(const GemmView& g, int rows, int cols) const override {
    return tile_folds(id(), g, rows, cols, g.M, g.N, g.K, ReductionAxis::Time);
  }

  FoldSchedule schedule(const FoldPlan& p, TimingMode timing, const std::vector<std::int64_t>*) const override {
    // Operands and weights stream in with row/column skew; no preload.
    const std::int64_t F = std::int64_t(p.folds.size()), R = p.R, C = p.C, T = p.T;
    FoldSchedule s;
    s.load_start.resize(F);
    s.t0.resize(F);
    s.load_cycles.assign(F, R);
    for (std::int64_t f = 0; f < F; ++f) {
      s.t0[f] = f == 0 ? 0 : s.t0[f - 1] + (timing == TimingMode::ScaleSim ? T + R + C - 2 : T);
      s.load_start[f] = s.t0[f];
    }
    // The last operand of the last fold reaches PE(R−1, C−1) at t0 + (T−1) + (R−1) + (C−1).
    s.last_cycle = F == 0 ? -1 : s.t0[F - 1] + T + R + C - 3;
    return s;
  }

  std::int64_t scalesim_cycles(const GemmView& g, int rows, int cols) const override {
    const std::int64_t folds = ((g.M + rows - 1) / rows) * ((g.N + cols - 1) / cols);
    return folds * (std::int64_t(rows) + cols + g.K - 2) - 1;
  }

  void closed_form_counters(const GemmJob& job, const GemmProgram& prog, const WeightLayout& wl,
                            LayerCounters& c) const override {
    const FoldPlan& p = prog.plan;
    const std::int64_t R = p.R, T = p.T, M = job.g.M, K = job.g.K;
    std::vector<std::int64_t> inb_m(M, 0);  // in-bounds operands of output row m
    for (std::int64_t m = 0; m < M; ++m)
      for (std::int64_t kk = 0; kk < K; ++kk) inb_m[m] += job.x.addr(m, kk) >= 0;
    for (const Fold& f : p.folds) {
      const std::int64_t sr = f.sr, sc = f.sc;
      c.pe_active_cycles += T * sr * sc;
      for (std::int64_t r = 0; r < sr; ++r) c.act_reads += inb_m[f.r0 + r];
      for (std::int64_t kk = 0; kk < T; ++kk) wl.add_row_reads(job.rows, kk, f.c0, f.sc, c.wsram_reads);
      c.link_operand_transfers += T * (sr * (sc - 1) + sc * (sr - 1));
      for (std::int64_t r = 0; r < sr; ++r) c.link_psum_transfers += sc * (R - 1 - r);  // drain
      c.accum_writes += sr * sc;
    }
  }

  std::string array_family() const override { return "output-stationary array"; }
  std::vector<std::string> backends() const override { return os_pe_array_backends(); }
  std::unique_ptr<IPeArrayBackend> make_array(const std::string& backend, const PeArrayOptions& o) const override {
    return make_os_pe_array(backend, o);
  }

  std::int64_t run_per_cycle(const GemmJob& job, const GemmProgram& prog, ArrayPorts& hw,
                             std::vector<std::int32_t>& acc, LayerCounters& c) const override {
    const FoldPlan& p = prog.plan;
    const FoldSchedule& s = prog.schedule;
    const int R = p.R, C = p.C;
    const std::int64_t F = std::int64_t(p.folds.size()), T = p.T, N = job.g.N;
    IOsPeArray& pe = array_as<IOsPeArray>(hw.array);
    pe.reset();
    OsPeArrayInputs x;
    x.resize(R, C);
    const OsArrayPorts ports(x, pe);
    std::vector<std::int64_t> row_f(R, 0), col_f(C, 0);
    std::int64_t delivered = -1;
    for (std::int64_t t = 0; t <= s.last_cycle; ++t) {
      for (int r = 0; r < R; ++r) {
        std::int64_t f = row_f[r];
        while (f < F && t >= s.t0[f] + r + T) ++f;
        row_f[r] = f;
        x.act_valid[r] = 0, x.act_in[r] = 0;
        if (f < F && t >= s.t0[f] + r) {
          // Unused rows carry zero operands so every fold's wavefront spans the whole array.
          const Fold& fd = p.folds[f];
          const std::int64_t kk = t - s.t0[f] - r;
          x.act_valid[r] = 1, x.act_last[r] = kk == T - 1, x.act_fold[r] = std::int32_t(f);
          if (r < fd.sr) {
            const std::int32_t ad = job.x.addr(fd.r0 + r, kk);
            x.act_in[r] = ad < 0 ? 0 : hw.in[ad];
            c.act_reads += ad >= 0;
            c.pe_active_cycles += fd.sc;
            c.link_operand_transfers += fd.sc - 1;
          }
        }
      }
      for (int cc = 0; cc < C; ++cc) {
        std::int64_t f = col_f[cc];
        while (f < F && t >= s.t0[f] + cc + T) ++f;
        col_f[cc] = f;
        x.w_in[cc] = 0;
        if (f < F && t >= s.t0[f] + cc && cc < p.folds[f].sc) {
          const Fold& fd = p.folds[f];
          const std::int64_t kk = t - s.t0[f] - cc;
          x.w_in[cc] = job.W(kk, fd.c0 + cc);
          c.link_operand_transfers += fd.sr - 1;
          if (cc == 0) hw.wsram.read_row(job.rows, kk, fd.c0, fd.sc);
        }
      }
      pe.set_inputs(x);
      pe.step();
      // Each finished sum goes to the accumulator with the bias.
      for (const OsDrain& d : pe.drained()) {
        delivered = t;
        const Fold& fd = p.folds[d.fold];
        if (d.row < fd.sr && d.col < fd.sc) {
          const std::int64_t m = fd.r0 + d.row, n = fd.c0 + d.col;
          acc[m * N + n] = arith::wrap_add(job.bias[n], d.sum);
          ++c.accum_writes;
          c.link_psum_transfers += R - 1 - d.row;
        }
      }
      if (hw.observer) hw.observer->on_cycle(t, ports);
      hw.clock.tick();
    }
    return delivered;
  }
};

}  // namespace

const IDataflow& os_dataflow() {
  static const OsDataflow d;
  return d;
}

}  // namespace rcsim
