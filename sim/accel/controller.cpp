#include "accel/controller.h"

#include <algorithm>

#include "core/errors.h"

namespace rcsim {

ControllerSetup::ControllerSetup(const QuantizedNetwork& qn_, const ArchParams& arch_, const AccelOptions& opts_)
    : qn(qn_), arch(arch_), opts(opts_), dataflow(dataflow_plugin(arch_.dataflow)) {
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
  if (opts.mode == ExecMode::PerCycle) {
    const std::vector<std::string> valid = dataflow.backends();
    if (std::find(valid.begin(), valid.end(), opts.backend) == valid.end()) {
      std::string list;
      for (const auto& b : valid) list += (list.empty() ? "" : ", ") + b;
      throw InputError("--backend " + opts.backend + ": dataflow '" + arch.dataflow.name() + "' runs on the " +
                       dataflow.array_family() + ", whose backends are: " + list);
    }
    pe = dataflow.make_array(opts.backend, PeArrayOptions{arch.rows, arch.cols, arch.precision, opts.fault});
  }
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
  auto& slot = s_->programs[{i, k}];
  if (!slot) {
    slot = std::make_unique<LayerProgram>();
    slot->op = prepare_layer(s_->qn, i, k);
    slot->prog = s_->dataflow.program(slot->op.gemm, s_->arch, weight_sram->layout());
  }
  return *slot;
}

LayerRun Controller::run_gemm_layer(std::size_t i, int k) {
  const ArchParams& arch = s_->arch;
  const AccelOptions& opts = s_->opts;
  const std::vector<std::int32_t>& in = act_buffer->input();
  LayerProgram& prog = program(i, k);
  const LayerOperands& op = prog.op;
  const GemmJob& job = op.gemm;
  const FoldPlan& p = prog.prog.plan;
  const FoldSchedule& s = prog.prog.schedule;
  const std::int64_t R = p.R, C = p.C, M = job.g.M, N = job.g.N;
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
    struct Clock final : CycleClock {
      explicit Clock(Controller& c) : ctl(c) {}
      void tick() override { ctl.tick(); }
      Controller& ctl;
    } clock(*this);
    CycleObserver* const observer = s_->observed_layer == i ? s_->observer : nullptr;
    ArrayPorts hw{*pe_array->array(), *weight_sram[0], in, clock, observer};
    last = s_->dataflow.run_per_cycle(job, prog.prog, hw, acc, c);
  } else {
    const std::int64_t array_cycles = s.last_cycle + 1;
    if (!prog.fast_counters) {
      prog.fast_counters = std::make_unique<LayerCounters>();
      WeightSram::init_counters(weight_sram->layout(), *prog.fast_counters);
      s_->dataflow.closed_form_counters(job, prog.prog, weight_sram->layout(), *prog.fast_counters);
      for (std::size_t f = 0; f < p.folds.size(); ++f)
        prog.fast_counters->bank_conflict_stalls += s.load_cycles[f] - p.R;
    }
    c += *prog.fast_counters;
    if (outputs) {
      if (!prog.fast_gemm) prog.fast_gemm = std::make_unique<FastGemm>(job);
      prog.fast_gemm->outputs(job, in, acc);
    }
    advance(array_cycles);
  }

  // SCALE-Sim reports the index of the last cycle; overlapped mode reports the count.
  c.cycles = c.dram_stall_cycles + (arch.timing == TimingMode::ScaleSim ? last : last + 1);
  c.controller_cycles = c.cycles;
  c.macs = job.g.macs();
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

}  // namespace rcsim
