#include "accel/controller.h"

#include <algorithm>

#include "core/errors.h"
#include "core/int_arith.h"
#include "host/int_gemm.h"

namespace rcsim {

FoldSchedule fold_schedule(const FoldPlan& p, TimingMode timing, const std::vector<std::int64_t>* load_stalls) {
  const std::int64_t F = std::int64_t(p.folds.size()), R = p.R, C = p.C, T = p.T;
  FoldSchedule s;
  s.load_start.resize(F);
  s.t0.resize(F);
  s.load_cycles.assign(F, R);
  if (load_stalls)
    for (std::int64_t f = 0; f < F; ++f) s.load_cycles[f] += (*load_stalls)[f];
  // Cycle of the last multiply of a fold whose first operand entered at t0: pixel T−1 reaches
  // PE(R−1, C−1) at t0 + (T−1) + (R−1) + (C−1) (docs/pe-array-timing.md).
  auto last_use = [&](std::int64_t t0) { return t0 + T + R + C - 3; };
  if (p.dataflow == Dataflow::WS || p.dataflow == Dataflow::IS) {  // IS: WS with roles swapped
    for (std::int64_t f = 0; f < F; ++f) {
      if (timing == TimingMode::ScaleSim) {
        // Serialized: R preload cycles, then the fold's T + R + C − 2 compute cycles.
        s.load_start[f] = f == 0 ? 0 : last_use(s.t0[f - 1]) + 1;
        s.t0[f] = s.load_start[f] + R;
      } else {
        // One loader (R cycles per fold); buffer f%2 is free once fold f−2's last operand left.
        std::int64_t ls = f == 0 ? 0 : s.load_start[f - 1] + s.load_cycles[f - 1];
        if (f >= 2) ls = std::max(ls, last_use(s.t0[f - 2]) + 1);
        s.load_start[f] = ls;
        const std::int64_t loaded = ls + s.load_cycles[f];
        s.t0[f] = f == 0 ? loaded : std::max(s.t0[f - 1] + T, loaded);
      }
    }
  } else {
    // OS: operands and weights stream in with row/column skew; overlapped mode double-buffers
    // the accumulators so the next fold streams right behind the current one.
    for (std::int64_t f = 0; f < F; ++f) {
      s.t0[f] = f == 0 ? 0 : s.t0[f - 1] + (timing == TimingMode::ScaleSim ? T + R + C - 2 : T);
      s.load_start[f] = s.t0[f];
    }
  }
  s.last_cycle = F == 0 ? -1 : last_use(s.t0[F - 1]);
  return s;
}

ControllerSetup::ControllerSetup(const QuantizedNetwork& qn_, const ArchParams& arch_, const AccelOptions& opts_)
    : qn(qn_), arch(arch_), opts(opts_) {
  if (qn.bits != arch.precision)
    throw InputError("weights are " + std::to_string(qn.bits) + "-bit but arch '" + arch.name +
                     "' has precision " + std::to_string(arch.precision) + " (use --set precision=" +
                     std::to_string(qn.bits) + ")");
  const Network& net = qn.net;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    const std::int64_t need = std::max(l.in.size(), l.out.size()) * arch.precision / 8;
    if (2 * need > arch.act_bytes)
      throw ConfigError("arch '" + arch.name + "': act_buffer.size_bytes: " + std::to_string(arch.act_bytes) +
                        " bytes cannot hold layer '" + l.name + "' of network '" + net.name + "' (needs 2 x " +
                        std::to_string(need) + ")");
  }
  if (opts.mode == ExecMode::PerCycle && arch.dataflow == Dataflow::IS && opts.backend != "systolic")
    throw InputError("--backend " + opts.backend + ": the IS dataflow runs on the systolic backend only (use --backend systolic)");
  // IS runs on the weight-stationary array with the operand roles swapped (docs/accelerator.md).
  if (opts.mode == ExecMode::PerCycle && (arch.dataflow == Dataflow::WS || arch.dataflow == Dataflow::IS))
    pe = make_pe_array(opts.backend, arch.rows, arch.cols);
  if (opts.mode == ExecMode::PerCycle && arch.dataflow == Dataflow::OS)
    os_pe = std::make_unique<OsPeArray>(arch.rows, arch.cols);
}

Controller::Controller(const sc_core::sc_module_name& name)
    : sc_core::sc_module(name),
      pe_array("pe_array"),
      weight_sram("weight_sram"),
      act_buffer("act_buffer"),
      post_proc("post_proc"),
      dram_req("dram_req"),
      dram_done("dram_done") {
  SC_THREAD(thread);
}

void Controller::thread() {
  for (;;) {
    while (!pending_) sc_core::wait(start_);
    pending_ = false;
    try {
      job_();
    } catch (...) {
      error_ = std::current_exception();
    }
  }
}

void Controller::execute(ControllerSetup& setup, std::function<void()> job) {
  s_ = &setup;
  period_ = sc_core::sc_time(1.0 / setup.arch.clock_hz, sc_core::SC_SEC);
  job_ = std::move(job);
  error_ = nullptr;
  pending_ = true;
  if (sc_core::sc_get_status() != sc_core::SC_ELABORATION) start_.notify(sc_core::SC_ZERO_TIME);
  sc_core::sc_start();
  job_ = nullptr;
  if (error_) std::rethrow_exception(error_);
}

InferenceRun Controller::run_image(const std::vector<std::int32_t>& image, int k) {
  const Network& net = s_->qn.net;
  net.check_width(k);
  if (std::int64_t(image.size()) != net.input.size())
    throw InputError("image has " + std::to_string(image.size()) + " values, network '" + net.name +
                     "' expects " + std::to_string(net.input.size()));
  InferenceRun run;
  act_buffer->load_input(image);
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    LayerRun lr;
    if (l.kind == LayerKind::MaxPool) {
      LayerCounters& c = lr.counters;
      c.layer = l.name;
      weight_sram->begin_layer(c);
      const Shape3 out = net.out_shape(i, k);
      post_proc->pool(l, net.in_shape(i, k), out, c);
      c.cycles = post_proc->pool_cycles(l, out);
      c.controller_cycles = c.cycles;
      c.pe_gated_cycles = std::int64_t(s_->arch.rows) * s_->arch.cols * c.cycles;  // array idle and gated
      weight_sram->hold_bank_states(k, c.cycles);
      advance(c.cycles);
    } else {
      lr = run_gemm_layer(i, k);
    }
    act_buffer->swap();
    lr.output = act_buffer->input();
    run.cycles += lr.counters.cycles;
    run.macs += lr.counters.macs;
    run.layers.push_back(std::move(lr));
  }
  return run;
}

Controller::LayerProgram& Controller::program(std::size_t i, int k) {
  const ArchParams& arch = s_->arch;
  auto& slot = s_->programs[{i, k}];
  if (!slot) {
    slot = std::make_unique<LayerProgram>();
    slot->op = prepare_layer(s_->qn, i, k);
    slot->plan = plan_folds(slot->op.g, arch.dataflow, arch.rows, arch.cols);
    if (arch.dataflow == Dataflow::WS && arch.timing == TimingMode::Overlapped) {
      // Bank conflicts: a row needing k words from one bank holds the shift for k − 1 cycles.
      const WeightLayout& wl = weight_sram->layout();
      std::vector<std::int64_t> stalls(slot->plan.folds.size(), 0);
      bool any = false;
      slot->load_sequence.resize(slot->plan.folds.size());
      for (std::size_t f = 0; f < slot->plan.folds.size(); ++f) {
        const Fold& fd = slot->plan.folds[f];
        auto& seq = slot->load_sequence[f];
        for (int j = 0; j < slot->plan.R; ++j) {
          const int row = slot->plan.R - 1 - j;
          const int words = row < fd.sr ? wl.row_max_bank_words(i, fd.r0 + row, fd.c0, fd.sc) : 1;
          for (int w = 1; w < words; ++w) seq.push_back(-1);
          seq.push_back(std::int16_t(j));
          stalls[f] += words - 1;
        }
        any |= stalls[f] > 0;
      }
      if (!any) slot->load_sequence.clear();
      slot->schedule = fold_schedule(slot->plan, arch.timing, &stalls);
    } else {
      slot->schedule = fold_schedule(slot->plan, arch.timing);
    }
  }
  return *slot;
}

LayerRun Controller::run_gemm_layer(std::size_t i, int k) {
  const ArchParams& arch = s_->arch;
  const AccelOptions& opts = s_->opts;
  const std::vector<std::int32_t>& in = act_buffer->input();
  LayerProgram& prog = program(i, k);
  const LayerOperands& op = prog.op;
  const FoldPlan& p = prog.plan;
  const FoldSchedule& s = prog.schedule;
  const std::int64_t R = p.R, C = p.C, M = op.g.M, N = op.g.N;
  LayerRun lr;
  LayerCounters& c = lr.counters;
  c.layer = s_->qn.net.layers[i].name;
  weight_sram->begin_layer(c);

  // Weights that are not resident come from DRAM before the first fold (the array waits for
  // the DRAM module's completion; per-cycle and fast mode alike).
  c.dram_read_bytes = weight_sram->layout().dram_bytes(i, k);
  if (c.dram_read_bytes > 0) {
    dram_req->write(c.dram_read_bytes);
    c.dram_stall_cycles = dram_done->read();
  }
  weight_sram->refill(i, k);

  std::vector<std::int32_t> acc(M * N, 0);
  // Per-cycle mode measures the layer's end: the cycle the array delivered its last result.
  std::int64_t last = s.last_cycle;
  const bool outputs = (opts.mode == ExecMode::PerCycle || opts.compute_outputs) && !in.empty();
  if (opts.mode == ExecMode::PerCycle) {
    last = p.dataflow == Dataflow::OS ? os_per_cycle(op, p, s, in, acc, c)
                                      : ws_per_cycle(op, p, s, prog.load_sequence, in, acc, c);
  } else {
    const std::int64_t array_cycles = s.last_cycle + 1;
    if (!prog.fast_counters) {
      prog.fast_counters = std::make_unique<LayerCounters>();
      WeightSram::init_counters(weight_sram->layout(), *prog.fast_counters);
      closed_form_counters(op, p, *prog.fast_counters);
      for (std::size_t f = 0; f < p.folds.size(); ++f)
        prog.fast_counters->bank_conflict_stalls += s.load_cycles[f] - p.R;
    }
    c += *prog.fast_counters;
    if (outputs) closed_form_outputs(op, in, acc);
    advance(array_cycles);
  }

  // SCALE-Sim reports the index of the last cycle; overlapped mode reports the count.
  c.cycles = c.dram_stall_cycles + (arch.timing == TimingMode::ScaleSim ? last : last + 1);
  c.controller_cycles = c.cycles;
  c.macs = op.g.macs();
  std::int64_t gated = 0;
  for (const Fold& f : p.folds) gated += (R * C - std::int64_t(f.sr) * f.sc) * p.T;
  c.pe_gated_cycles = gated;
  c.pe_idle_cycles = R * C * c.cycles - c.pe_active_cycles - c.pe_gated_cycles;
  c.postproc_ops = M * N;
  c.act_writes += M * N;
  weight_sram->hold_bank_states(k, c.cycles);
  lr.utilization = c.cycles > 0 ? double(c.macs) / double(R * C * c.cycles) : 0.0;
  // The finished accumulators leave through the post-processing unit into the activation
  // buffer's output half (timing-only runs: nothing to write).
  if (!outputs) acc.clear();
  post_proc->finish_layer(acc, M, N, op.shift, op.relu, op.classifier);
  return lr;
}

std::int64_t Controller::ws_per_cycle(const LayerOperands& op, const FoldPlan& p, const FoldSchedule& s,
                                      const std::vector<std::vector<std::int16_t>>& seq,
                              const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc,
                              LayerCounters& c) {
  const int R = p.R, C = p.C;
  const std::int64_t F = std::int64_t(p.folds.size()), T = p.T, K = op.g.K, N = op.g.N;
  // IS: the stationary operand is X^T (PE(r,c) holds X[m0+c][k0+r], preloaded from the
  // activation buffer) and row n of W^T streams in like a WS pixel (from the weight SRAM); the
  // bottom edge delivers out^T, written back transposed into acc[m][n].
  const bool is = p.dataflow == Dataflow::IS;
  IWeightSram& wsram = *weight_sram[0];
  IPeArray& pe = *pe_array->array();
  pe.reset();
  PeArrayInputs x;
  x.resize(R, C);
  std::vector<std::int64_t> row_f(R, 0), col_f(C, 0);
  std::int64_t lf = 0;
  CycleObserver* const observer = s_->observer;
  const bool observe = observer && s_->observed_layer == op.layer;
  std::int64_t delivered = -1;
  for (std::int64_t t = 0; t <= s.last_cycle; ++t) {
    // Preload: in load cycle j the weight row R−1−j enters at the top (docs/pe-array-timing.md).
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
      if (row < f.sr) {
        const std::int64_t kidx = f.r0 + row;
        if (is) {
          for (int cc = 0; cc < C; ++cc) {
            const std::int32_t a = cc < f.sc ? op.gather[(f.c0 + cc) * K + kidx] : -1;
            x.w_in[cc] = a < 0 ? 0 : in[a];
            c.act_reads += a >= 0;
          }
        } else {
          for (int cc = 0; cc < C; ++cc) x.w_in[cc] = cc < f.sc ? op.W(kidx, f.c0 + cc) : 0;
          wsram.read_row(op.layer, kidx, f.c0, f.sc);
        }
      } else {
        std::fill(x.w_in.begin(), x.w_in.end(), 0);
      }
      c.pe_weight_loads += std::int64_t(R) * C;
    }
    // Operands: row r carries pixel m of its current fold at t0 + m + r.
    for (int r = 0; r < R; ++r) {
      std::int64_t f = row_f[r];
      while (f < F && t >= s.t0[f] + r + T) ++f;
      row_f[r] = f;
      if (f < F && t >= s.t0[f] + r) {
        const Fold& fd = p.folds[f];
        const std::int64_t m = t - s.t0[f] - r;
        x.act_valid[r] = 1;
        x.act_sel[r] = std::uint8_t(f & 1);
        if (r < fd.sr && is) {
          // m is the streamed weight column n: one weight of row k0+r per cycle from its bank.
          x.act_in[r] = op.W(fd.r0 + r, m);
          wsram.read_row(op.layer, fd.r0 + r, m, 1);
          c.pe_active_cycles += fd.sc;
          c.link_operand_transfers += fd.sc - 1;
        } else if (r < fd.sr) {
          const std::int32_t a = op.gather[m * K + fd.r0 + r];
          x.act_in[r] = a < 0 ? 0 : in[a];
          c.act_reads += a >= 0;
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
    tick();
    const PeArrayOutputs& out = pe.outputs();
    if (observe) observer->on_cycle(t, x, pe);
    // Results: column c's sum for pixel m is at the bottom after the edge of t0 + m + R−1 + c.
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
      const std::int64_t t_idx = t - s.t0[f] - (R - 1) - cc;  // streamed index (WS: m; IS: n)
      const std::int64_t m = is ? fd.c0 + cc : t_idx, n = is ? t_idx : fd.c0 + cc;
      std::int32_t& a = acc[m * N + n];
      if (fd.first_of_column_range) {
        a = arith::wrap_add(op.bias[n], out.psum_out[cc]);
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

std::int64_t Controller::os_per_cycle(const LayerOperands& op, const FoldPlan& p, const FoldSchedule& s,
                              const std::vector<std::int32_t>& in, std::vector<std::int32_t>& acc,
                              LayerCounters& c) {
  // The output-stationary array (pe_array/os_pe_array.h) hands each PE's sum out when its fold's
  // last operand has passed; the controller writes it to the accumulator with the bias.
  const int R = p.R, C = p.C;
  const std::int64_t F = std::int64_t(p.folds.size()), T = p.T, K = op.g.K, N = op.g.N;
  IWeightSram& wsram = *weight_sram[0];
  OsPeArray& pe = *pe_array->os_array();
  pe.reset();
  std::vector<std::int32_t>& act_in = pe.act_in;
  std::vector<std::int32_t>& w_in = pe.w_in;
  std::vector<std::uint8_t>& v_in = pe.v_in;
  std::vector<std::uint8_t>& last_in = pe.last_in;
  std::vector<std::int32_t>& fold_in = pe.fold_in;
  std::vector<OsDrain> drained;
  std::vector<std::int64_t> row_f(R, 0), col_f(C, 0);
  std::int64_t delivered = -1;
  for (std::int64_t t = 0; t <= s.last_cycle; ++t) {
    for (int r = 0; r < R; ++r) {
      std::int64_t f = row_f[r];
      while (f < F && t >= s.t0[f] + r + T) ++f;
      row_f[r] = f;
      v_in[r] = 0, act_in[r] = 0;
      if (f < F && t >= s.t0[f] + r) {
        // Unused rows carry zero operands so every fold's wavefront spans the whole array.
        const Fold& fd = p.folds[f];
        const std::int64_t kk = t - s.t0[f] - r;
        v_in[r] = 1, last_in[r] = kk == T - 1, fold_in[r] = std::int32_t(f);
        if (r < fd.sr) {
          const std::int32_t ad = op.gather[(fd.r0 + r) * K + kk];
          act_in[r] = ad < 0 ? 0 : in[ad];
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
      w_in[cc] = 0;
      if (f < F && t >= s.t0[f] + cc && cc < p.folds[f].sc) {
        const Fold& fd = p.folds[f];
        const std::int64_t kk = t - s.t0[f] - cc;
        w_in[cc] = op.W(kk, fd.c0 + cc);
        c.link_operand_transfers += fd.sr - 1;
        if (cc == 0) wsram.read_row(op.layer, kk, fd.c0, fd.sc);
      }
    }
    pe.step(drained);
    for (const OsDrain& d : drained) {
      delivered = t;
      const Fold& fd = p.folds[d.fold];
      if (d.row < fd.sr && d.col < fd.sc) {
        const std::int64_t m = fd.r0 + d.row, n = fd.c0 + d.col;
        acc[m * N + n] = arith::wrap_add(op.bias[n], d.sum);
        ++c.accum_writes;
        c.link_psum_transfers += R - 1 - d.row;
      }
    }
    tick();
  }
  return delivered;
}

void Controller::closed_form_counters(const LayerOperands& op, const FoldPlan& p, LayerCounters& c) {
  const std::int64_t R = p.R, C = p.C, T = p.T, M = op.g.M, K = op.g.K;
  const WeightLayout& wl = weight_sram->layout();
  std::vector<std::int64_t> inb_m;
  if (p.dataflow == Dataflow::OS) {
    inb_m.assign(M, 0);
    for (std::int64_t m = 0; m < M; ++m)
      for (std::int64_t kk = 0; kk < K; ++kk) inb_m[m] += op.gather[m * K + kk] >= 0;
  }
  for (const Fold& f : p.folds) {
    const std::int64_t sr = f.sr, sc = f.sc;
    c.pe_active_cycles += T * sr * sc;
    if (p.dataflow == Dataflow::WS || p.dataflow == Dataflow::IS) {
      if (p.dataflow == Dataflow::WS) {
        for (std::int64_t r = 0; r < sr; ++r) {
          c.act_reads += op.inbounds_per_k[f.r0 + r];
          wl.add_row_reads(op.layer, f.r0 + r, f.c0, f.sc, c.wsram_reads);
        }
      } else {
        for (std::int64_t r = 0; r < sr; ++r) {
          for (std::int64_t cc = 0; cc < sc; ++cc) c.act_reads += op.gather[(f.c0 + cc) * K + f.r0 + r] >= 0;
          for (std::int64_t n = 0; n < T; ++n) wl.add_row_reads(op.layer, f.r0 + r, n, 1, c.wsram_reads);
        }
      }
      c.pe_weight_loads += R * R * C;
      c.link_operand_transfers += T * sr * (sc - 1);
      c.link_psum_transfers += T * sc * (R - 1);
      c.accum_writes += T * sc;
      if (!f.first_of_column_range) c.accum_reads += T * sc;
    } else {
      for (std::int64_t r = 0; r < sr; ++r) c.act_reads += inb_m[f.r0 + r];
      for (std::int64_t kk = 0; kk < T; ++kk) wl.add_row_reads(op.layer, kk, f.c0, f.sc, c.wsram_reads);
      c.link_operand_transfers += T * (sr * (sc - 1) + sc * (sr - 1));
      for (std::int64_t r = 0; r < sr; ++r) c.link_psum_transfers += sc * (R - 1 - r);
      c.accum_writes += sr * sc;
    }
  }
}

void Controller::closed_form_outputs(const LayerOperands& op, const std::vector<std::int32_t>& in,
                                     std::vector<std::int32_t>& acc) {
  const std::int64_t M = op.g.M, K = op.g.K, N = op.g.N;
  // The GEMM itself through the host's vectorized int16 kernels (int32 wrap-around; any
  // summation order gives the hardware's result).
  const std::int64_t Kp = op.Kp, Mp = intgemm::round_up(int(M), intgemm::kRowAlign);
  std::vector<std::int16_t> x(Mp * Kp, 0);
  for (std::int64_t m = 0; m < M; ++m)
    for (std::int64_t kk = 0; kk < K; ++kk) {
      const std::int32_t a = op.gather[m * K + kk];
      x[m * Kp + kk] = a < 0 ? 0 : std::int16_t(in[a]);
    }
  std::vector<std::int32_t> y(N * M);
  if (M == 1)
    intgemm::gemv(int(N), int(K), op.w16.data(), std::size_t(Kp), x.data(), op.bias.data(), y.data());
  else
    intgemm::gemm_abt(int(N), int(M), int(K), op.w16.data(), std::size_t(Kp), x.data(), std::size_t(Kp),
                      op.bias.data(), y.data(), std::size_t(M));
  for (std::int64_t n = 0; n < N; ++n)
    for (std::int64_t m = 0; m < M; ++m) acc[m * N + n] = y[n * M + m];
}

}  // namespace rcsim
