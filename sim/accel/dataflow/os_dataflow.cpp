// `os`, output-stationary, on the output-stationary array (i_os_pe_array.h): a fold holds
// outputs m0..m0+sr−1 (array rows) × n0..n0+sc−1 (array columns) and streams the reduction
// T = K through time — X[m0+r][k] enters row r at t0 + k + r from the activation buffer,
// W[k][n0+c] enters column c at t0 + k + c from the weight SRAM (one row read per k) — and each
// PE hands its finished sum out when the fold's last operand has passed. `overlapped` timing
// double-buffers the accumulators, so the next fold streams right behind the current one.
#include <algorithm>
#include <utility>

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
    const std::int64_t* const t0 = s.t0.data();
    IOsPeArray& pe = array_as<IOsPeArray>(hw.array);
    pe.reset();
    OsPeArrayInputs x;
    x.resize(R, C);
    const OsArrayPorts ports(x, pe);
    // Work per cycle follows the folds in flight, not R + C: fold f streams operand k into row r
    // and weight k into column c at t0 + k + r (+ c), and PE(r, c) hands out its sum at
    // t0 + T−1 + r + c, so in a cycle each fold drives one contiguous range of rows and of
    // columns and hands out along one anti-diagonal. Only the used PEs of that diagonal are read.
    std::int64_t first_in = 0, first_out = 0;  // oldest fold still streaming in / handing out
    const std::int64_t in_span = std::max(R, C) - 1 + T, out_span = T - 1 + (R - 1) + (C - 1);
    // Row and column ranges [lo, hi) given an operand / a weight last cycle (one per fold).
    std::vector<std::pair<int, int>> rows_driven, cols_driven;
    // Raw pointers in locals: the uint8_t stores may alias anything (see the array's step()).
    std::int32_t* const act_in = x.act_in.data();
    std::uint8_t* const act_valid = x.act_valid.data();
    std::uint8_t* const act_last = x.act_last.data();
    std::int32_t* const act_fold = x.act_fold.data();
    std::int32_t* const w_in = x.w_in.data();
    // A cycle's weights W[d − c][n0 + c] come from W^T's rows n0 + c, each reading one line for
    // many cycles. The job's row stride (w_stride) is a power of two on most layers, so a wide
    // fold's rows all map to a few L1 sets and evict each other every cycle: copy W^T with a row
    // stride of an odd number of cache lines (32 int16 each), which spreads them over the sets.
    const std::int64_t K = job.g.K;
    std::int64_t lines = (K + 31) / 32;
    lines += 1 - lines % 2;
    const std::int64_t w_stride = lines * 32;
    std::vector<std::int16_t> w_rows(std::size_t(N * w_stride), 0);
    for (std::int64_t n = 0; n < N; ++n)
      std::copy_n(&job.w[std::size_t(n * job.w_stride)], K, &w_rows[std::size_t(n * w_stride)]);
    const std::int16_t* const wt = w_rows.data();
    const std::int32_t* const in = hw.in.data();
    const OperandGather& gather = job.x;
    // Events counted in locals, added to `c` once.
    std::int64_t act_reads = 0, active = 0, operand_hops = 0, accum_writes = 0, psum_hops = 0;
    std::int64_t delivered = -1;
    for (std::int64_t t = 0; t <= s.last_cycle; ++t) {
      // Rows and columns not driven this cycle carry a bubble and a zero weight; act_last and
      // act_fold keep their last values (they mean nothing without act_valid).
      for (const auto& [lo, hi] : rows_driven) {
        std::fill(act_valid + lo, act_valid + hi, std::uint8_t(0));
        std::fill(act_in + lo, act_in + hi, 0);
      }
      for (const auto& [lo, hi] : cols_driven) std::fill(w_in + lo, w_in + hi, 0);
      rows_driven.clear();
      cols_driven.clear();
      while (first_in < F && t >= t0[first_in] + in_span) ++first_in;
      for (std::int64_t f = first_in; f < F && t0[f] <= t; ++f) {
        const Fold& fd = p.folds[f];
        const std::int64_t d = t - t0[f];  // row r streams operand d − r, column c weight d − c
        // Unused rows carry zero operands so every fold's wavefront spans the whole array.
        const int r_lo = int(std::max<std::int64_t>(0, d - T + 1)), r_hi = int(std::min<std::int64_t>(R - 1, d)) + 1;
        if (r_lo < r_hi) {
          std::fill(act_valid + r_lo, act_valid + r_hi, std::uint8_t(1));
          std::fill(act_last + r_lo, act_last + r_hi, std::uint8_t(0));
          if (d - T + 1 >= 0) act_last[r_lo] = 1;  // row d − T + 1 carries operand T − 1
          std::fill(act_fold + r_lo, act_fold + r_hi, std::int32_t(f));
          const int used_hi = std::min(r_hi, fd.sr);
          for (int r = r_lo; r < used_hi; ++r) {
            const std::int32_t ad = gather.addr(fd.r0 + r, d - r);
            act_in[r] = ad < 0 ? 0 : in[ad];
            act_reads += ad >= 0;
          }
          // act_in of the unused rows is already 0 (cleared above, or never driven).
          rows_driven.emplace_back(r_lo, r_hi);
          const std::int64_t used_rows = std::max(0, used_hi - r_lo);
          active += used_rows * fd.sc;
          operand_hops += used_rows * (fd.sc - 1);
        }
        const int c_lo = int(std::max<std::int64_t>(0, d - T + 1)),
                  c_hi = int(std::min<std::int64_t>(fd.sc - 1, d)) + 1;
        if (c_lo < c_hi) {
          // Column c carries W[d − c][n0 + c]: W^T's row n0 + c at offset d − c.
          const std::int16_t* wp = wt + (fd.c0 + c_lo) * w_stride + (d - c_lo);
          for (int cc = c_lo; cc < c_hi; ++cc, wp += w_stride - 1) w_in[cc] = *wp;
          cols_driven.emplace_back(c_lo, c_hi);
          operand_hops += std::int64_t(c_hi - c_lo) * (fd.sr - 1);
          if (c_lo == 0) hw.wsram.read_row(job.rows, d, fd.c0, fd.sc);
        }
      }
      pe.set_inputs(x);
      pe.step();
      // Each finished sum of a used PE goes to the accumulator with the bias.
      while (first_out < F && t > t0[first_out] + out_span) ++first_out;
      for (std::int64_t f = first_out; f < F && t0[f] + T - 1 <= t; ++f) {
        const Fold& fd = p.folds[f];
        const int d = int(t - t0[f] - (T - 1));  // PE(r, c) with r + c = d hands out
        std::int32_t sum = 0;
        // Every PE of the diagonal hands out (all rows carry the fold): the far one says when.
        const int r_far = std::min(R - 1, d);
        if (!pe.handed_out(r_far, d - r_far, sum)) missing(pe, r_far, d - r_far, t, c);
        delivered = t;
        const int r_lo = std::max(0, d - fd.sc + 1), r_hi = std::min(fd.sr - 1, d);
        for (int r = r_lo; r <= r_hi; ++r) {
          const int cc = d - r;
          if (!pe.handed_out(r, cc, sum)) missing(pe, r, cc, t, c);
          const std::int64_t m = fd.r0 + r, n = fd.c0 + cc;
          acc[m * N + n] = arith::wrap_add(job.bias[n], sum);
          ++accum_writes;
          psum_hops += R - 1 - r;
        }
      }
      if (hw.observer) hw.observer->on_cycle(t, ports);
      hw.clock.tick();
    }
    c.act_reads += act_reads;
    c.pe_active_cycles += active;
    c.link_operand_transfers += operand_hops;
    c.accum_writes += accum_writes;
    c.link_psum_transfers += psum_hops;
    return delivered;
  }

 private:
  [[noreturn]] static void missing(const IOsPeArray& pe, int r, int cc, std::int64_t t, const LayerCounters& c) {
    throw InternalError("PE array (" + pe.backend() + "): PE(" + std::to_string(r) + "," + std::to_string(cc) +
                        ") handed out no sum at cycle " + std::to_string(t) + " of layer '" + c.layer + "'");
  }
};

}  // namespace

const IDataflow& os_dataflow() {
  static const OsDataflow d;
  return d;
}

}  // namespace rcsim
