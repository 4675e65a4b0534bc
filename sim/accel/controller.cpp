#include "accel/controller.h"

#include <algorithm>
#include <cmath>

#include "accel/sanitizer_stack.h"
#include "core/errors.h"

namespace rcsim {

ControllerSetup::ControllerSetup(const QuantizedNetwork& qn_, const ArchParams& arch_, const AccelOptions& opts_,
                                 const WeightLayout& layout)
    : qn(qn_), arch(arch_), opts(opts_), dataflow(dataflow_plugin(arch_.dataflow)), act_plan(qn_.net, arch_.precision) {
  if (qn.bits != arch.precision)
    throw InputError("weights are " + std::to_string(qn.bits) + "-bit but arch '" + arch.name +
                     "' has precision " + std::to_string(arch.precision) + " (use --set precision=" +
                     std::to_string(qn.bits) + ")");
  dram::load_dram_config(arch.dram_type);  // an unknown dram.type fails here, before any run
  dram::parse_trace_format(opts.dram_trace_format);
  // Tensors that do not fit go through DRAM in tiles: the plan of every width is made (and
  // checked) now.
  for (int k = 1; k <= qn.net.width_groups; ++k)
    tile_plans.push_back(std::make_unique<TilePlan>(qn.net, arch, layout, act_plan, k));
  // Fast mode computes the array's timing in closed form: no PE array runs, so a backend other
  // than the default would silently not be used.
  if (opts.mode == ExecMode::Fast && opts.backend != "systolic")
    throw InputError("--backend " + opts.backend +
                     " runs the PE array cycle by cycle: it needs --mode per-cycle (fast mode has no PE array: "
                     "its timing is closed-form)");
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
      dram("dram") {
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
  restore_main_stack_bounds();  // for ASan, after SystemC's stack switches (accel/sanitizer_stack.h)
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
  dram->begin_image();
  now_ = 0;
  defer_waits_ = s_->opts.mode == ExecMode::Fast;
  deferred_cycles_ = 0;
  run.layers.reserve(net.layers.size());
  // A kept layer output is the buffer's tensor itself, moved into the run when the buffer frees
  // it (or at the end of the image), not a copy: copies were a visible share of fast mode.
  // A flatten's output is another node's tensor (an alias): copied while it is resident.
  const bool keep = s_->opts.keep_layer_outputs;
  const std::size_t L = net.layers.size();
  for (std::size_t i = 0; i < L; ++i) {
    LayerRun lr = net.layers[i].has_weights() ? run_gemm_layer(i, k) : run_postproc_node(i, k);
    if (keep && net.layers[i].kind == LayerKind::Flatten) lr.output = act_buffer->tensor(int(i));
    run.cycles += lr.counters.cycles;
    now_ += lr.counters.cycles;
    run.macs += lr.counters.macs;
    run.layers.push_back(std::move(lr));
    // Tensors whose last reader this node was leave the buffer (a chain: the node's input half).
    for (int t : s_->act_plan.released_after(i)) {
      if (keep && t >= 0 && net.layers[std::size_t(t)].kind != LayerKind::Flatten)
        run.layers[std::size_t(t)].output = act_buffer->take(t);
      else
        act_buffer->release(t);
    }
  }
  // The tensors still resident: with `keep`, every one not yet released; else the logits, copied
  // (a few values; their storage stays in the buffer for the next image).
  if (keep) {
    for (std::size_t i = 0; i < L; ++i)
      if (net.layers[i].kind != LayerKind::Flatten && run.layers[i].output.empty())
        run.layers[i].output = act_buffer->take(int(i));
  } else {
    run.layers[L - 1].output = act_buffer->tensor(int(L - 1));
  }
  flush_deferred_waits();
  return run;
}

Controller::LayerProgram& Controller::program(std::size_t i, int k) {
  auto& slot = s_->programs[{i, k}];
  if (!slot) {
    slot = std::make_unique<LayerProgram>();
    LayerProgram& prog = *slot;
    prog.op = prepare_layer(s_->qn, i, k);
    prog.jobs.resize(prog.op.jobs.size());
    const bool tiled = tiling(i, k).tiled();
    // A tiled node runs its tiles' jobs (slices of the node's), never the node's own.
    if (tiled)
      build_tiles(i, k, prog);
    else
      for (std::size_t j = 0; j < prog.op.jobs.size(); ++j)
        if (prog.op.jobs[j].g.K > 0) prog.jobs[j].prog = s_->dataflow.program(prog.op.jobs[j], s_->arch, weight_sram->layout());
    if (s_->opts.mode == ExecMode::Fast) prepare_fast(i, k, prog);
  }
  return *slot;
}

void Controller::release_per_cycle_operands(GemmJob& job) {
  job.rows = JobWeightRows{};
  std::vector<std::int64_t>().swap(job.inbounds_per_k);
}

LayerRun Controller::run_postproc_node(std::size_t i, int k) {
  const QuantizedNetwork& qn = s_->qn;
  const Network& net = qn.net;
  const Layer& l = net.layers[i];
  LayerRun lr;
  LayerCounters& c = lr.counters;
  c.layer = l.name;
  weight_sram->begin_layer(c);
  auto operand = [&](std::size_t j) {
    const int t = l.in_ids[j];
    return ScaledTensor{t, qn.tensor_shift(t), net.input_shape(i, j, k).size()};
  };
  const int node = int(i);
  std::int64_t cycles = 0;
  switch (l.kind) {
    case LayerKind::MaxPool:
    case LayerKind::AvgPool: cycles = post_proc->pool(node, l, l.in_ids[0], net.in_shape(i, k), net.out_shape(i, k), c); break;
    case LayerKind::Add:
      cycles = post_proc->add(node, operand(0), operand(1), qn.quant_params[i].out_shift, qn.out_lo(i), qn.out_hi(i), c);
      break;
    case LayerKind::Concat: {
      std::vector<ScaledTensor> ins;
      for (std::size_t j = 0; j < l.in_ids.size(); ++j) ins.push_back(operand(j));
      cycles = post_proc->concat(node, ins, qn.quant_params[i].out_shift, c);
      break;
    }
    case LayerKind::Act: cycles = post_proc->clamp(node, operand(0), qn.out_lo(i), qn.out_hi(i), c); break;
    case LayerKind::Flatten: act_buffer->alias(node, l.in_ids[0]); break;  // CHW order is the feature order
    default: throw InternalError("controller: node '" + l.name + "' of kind " + to_string(l.kind) + " has no executor");
  }
  // The unit's cycles split over the node's row tiles in proportion to their rows (the DMA
  // overlaps each tile's transfers with its neighbours' work).
  const NodeTiling& nt = tiling(i, k);
  const std::int64_t H = std::max(1, l.out.h);
  const std::int64_t total = run_tiles(nt, c, [&](std::size_t t) {
    const NodeTile& tile = nt.tiles[t];
    const std::int64_t share = cycles * tile.oy1 / H - cycles * tile.oy0 / H;
    advance(share);
    return share;
  });
  lr.dram = nt.dram;
  lr.dram_peak_cycles = std::int64_t(std::ceil(double(nt.dram.total()) / peak_bytes_per_cycle()));
  c.act_reads += nt.dram.outputs / (s_->arch.precision / 8);  // the DMA reads stored outputs out
  c.cycles = total;
  c.controller_cycles = total;
  c.pe_gated_cycles = std::int64_t(s_->arch.rows) * s_->arch.cols * total;  // array idle and gated
  weight_sram->hold_bank_states(k, total);
  return lr;
}

std::int64_t Controller::run_job(std::size_t i, const GemmJob& job, JobProgram& jp, bool first_job,
                                 const std::vector<std::int32_t>& in, bool outputs, std::vector<std::int32_t>& acc,
                                 std::int64_t node_M, std::int64_t node_N, std::int64_t m0, LayerCounters& c) {
  const ArchParams& arch = s_->arch;
  const std::int64_t M = job.g.M, N = job.g.N;
  // A node of several jobs (grouped conv) collects each job's columns into its own channels.
  const bool direct = node_N == N && node_M == M;
  std::vector<std::int32_t>& job_acc = job_acc_;
  std::vector<std::int32_t>& a = direct ? acc : job_acc;
  if (!direct && outputs) job_acc.assign(std::size_t(M * N), 0);
  // Per-cycle mode measures the job's end: the cycle the array delivered its last result.
  struct Clock final : CycleClock {
    explicit Clock(Controller& c) : ctl(c) {}
    void tick() override { ctl.tick(); }
    Controller& ctl;
  } clock(*this);
  CycleObserver* const observer = s_->observed_layer == i && first_job ? s_->observer : nullptr;
  // Timing-only inputs are never read in per-cycle mode (it always computes outputs).
  ArrayPorts hw{*pe_array->array(), *weight_sram[0], in, clock, observer};
  if (!outputs) job_acc.assign(std::size_t(M * N), 0);
  const std::int64_t last = s_->dataflow.run_per_cycle(job, jp.prog, hw, outputs ? a : job_acc, c);
  if (outputs && !direct) scatter_job(job, job_acc, acc, node_N, m0);
  sum_gated_cycles(jp);
  c.pe_gated_cycles += jp.gated_cycles;
  c.macs += job.g.macs();
  // SCALE-Sim reports the index of the last cycle; overlapped mode reports the count.
  return arch.timing == TimingMode::ScaleSim ? last : last + 1;
}

void Controller::sum_gated_cycles(JobProgram& jp) {
  if (jp.gated_cycles >= 0) return;
  const FoldPlan& p = jp.prog.plan;
  const std::int64_t RC = std::int64_t(p.R) * p.C;
  jp.gated_cycles = 0;
  for (const Fold& f : p.folds) jp.gated_cycles += (RC - std::int64_t(f.sr) * f.sc) * p.T;
}

void Controller::scatter_job(const GemmJob& job, const std::vector<std::int32_t>& a, std::vector<std::int32_t>& acc,
                             std::int64_t node_N, std::int64_t m0) {
  const std::int64_t M = job.g.M, N = job.g.N;
  for (std::int64_t m = 0; m < M; ++m)
    for (std::int64_t n = 0; n < N; ++n)
      acc[std::size_t((m0 + m) * node_N + job.out_pos[std::size_t(n)])] = a[std::size_t(m * N + n)];
}

void Controller::fast_job_outputs(const GemmJob& job, const JobProgram& jp, const std::vector<std::int32_t>& in,
                                  std::int32_t* y, std::int64_t node_M, std::int64_t m0) {
  const std::int64_t M = job.g.M, N = job.g.N;
  // Consecutive output channels (every dense job, tile or not): the GEMM writes their runs in
  // place, at the tile's first pixel.
  if (jp.fast_in_place) return jp.fast_gemm->outputs(job, in, y + job.out_pos[0] * node_M + m0);
  // Otherwise each channel's run is copied to its place. (The scratch only grows: regrowing it
  // would zero the new part on every call.)
  if (job_acc_.size() < std::size_t(M * N)) job_acc_.resize(std::size_t(M * N));
  jp.fast_gemm->outputs(job, in, job_acc_.data());
  for (std::int64_t n = 0; n < N; ++n)
    std::copy_n(job_acc_.data() + n * M, M, y + job.out_pos[std::size_t(n)] * node_M + m0);
}

void Controller::prepare_fast(std::size_t i, int k, LayerProgram& prog) {
  if (prog.fast_ready) return;
  const Layer& l = s_->qn.net.layers[i];
  const NodeTiling& nt = tiling(i, k);
  const WeightLayout& layout = weight_sram->layout();
  const bool outputs = s_->opts.compute_outputs;
  // A grouped conv's outputs come from one kernel for the node, not from its jobs.
  const bool grouped = l.groups > 1;
  const std::size_t T = nt.tiles.size();
  std::vector<LayerCounters> sums(T);
  prog.fast_tiles.assign(T, ControllerSetup::FastTile{});
  auto add = [&](std::size_t t, GemmJob& job, JobProgram& jp) {
    LayerCounters c;
    WeightSram::init_counters(layout, c);
    s_->dataflow.closed_form_counters(job, jp.prog, layout, c);
    const FoldPlan& p = jp.prog.plan;
    for (std::size_t f = 0; f < p.folds.size(); ++f) c.bank_conflict_stalls += jp.prog.schedule.load_cycles[f] - p.R;
    sum_gated_cycles(jp);
    c.pe_gated_cycles += jp.gated_cycles;
    c.macs += job.g.macs();
    sums[t] += c;
    ControllerSetup::FastTile& ft = prog.fast_tiles[t];
    const std::int64_t last = jp.prog.schedule.last_cycle;
    // SCALE-Sim reports the index of the last cycle; overlapped mode reports the count.
    ft.cycles += s_->arch.timing == TimingMode::ScaleSim ? last : last + 1;
    ft.advance += last + 1;
    ++ft.jobs;
    // From here on fast mode reads only the plan's shape: the per-fold vectors (a fold list per
    // job and row tile) and what the counters read go.
    std::vector<Fold>().swap(jp.prog.plan.folds);
    std::vector<std::int64_t>().swap(jp.prog.schedule.load_start);
    std::vector<std::int64_t>().swap(jp.prog.schedule.load_cycles);
    std::vector<std::int64_t>().swap(jp.prog.schedule.t0);
    std::vector<std::vector<std::int16_t>>().swap(jp.prog.load_sequence);
    release_per_cycle_operands(job);
    if (outputs && !grouped && !jp.fast_gemm) {
      jp.fast_in_place = true;
      for (std::size_t n = 1; n < job.out_pos.size(); ++n)
        jp.fast_in_place = jp.fast_in_place && job.out_pos[n] == job.out_pos[0] + int(n);
      jp.fast_gemm = std::make_unique<FastGemm>(job, jp.fast_in_place ? prog.op.M : job.g.M);
    }
    // Per-pixel window origins (8 bytes per output pixel and job): a GEMM on the window grid
    // never reads them again.
    if (outputs && !grouped && jp.fast_gemm->reads_grid()) job.x.oy0.reset(), job.x.ox0.reset();
  };
  if (prog.tiles.empty()) {
    for (std::size_t j = 0; j < prog.op.jobs.size(); ++j)
      if (prog.op.jobs[j].g.K > 0) add(0, prog.op.jobs[j], prog.jobs[j]);
  } else {
    for (std::size_t t = 0; t < prog.tiles.size(); ++t)
      for (std::size_t j = 0; j < prog.tiles[t].jobs.size(); ++j) add(t, prog.tiles[t].jobs[j], prog.tiles[t].progs[j]);
  }
  // One copy of each distinct sum per node (row tiles of equal height have equal sums).
  std::vector<std::shared_ptr<const LayerCounters>>& pool = s_->fast_counter_pool[i];
  for (std::size_t t = 0; t < T; ++t) {
    for (const auto& known : pool)
      if (*known == sums[t]) {
        prog.fast_tiles[t].counters = known;
        break;
      }
    if (!prog.fast_tiles[t].counters) {
      auto sum = std::make_shared<const LayerCounters>(std::move(sums[t]));
      prog.fast_tiles[t].counters = sum;
      if (pool.size() < ControllerSetup::kCounterPoolSize) pool.push_back(sum);
    }
  }
  if (grouped && outputs) prog.grouped = std::make_unique<GroupedConvKernel>(l, prog.op);
  // The dense GEMMs leave the bias to the post-processing pass: the node's, per output channel.
  if (!grouped && outputs) {
    prog.fast_bias.assign(std::size_t(prog.op.N), 0);
    for (const GemmJob& job : prog.op.jobs)
      for (std::size_t n = 0; n < job.out_pos.size(); ++n) prog.fast_bias[std::size_t(job.out_pos[n])] = job.bias[n];
  }
  // What a run no longer reads: a grouped node's jobs (its kernel has their weights), every job
  // of a timing-only node (the bias-only ones included: they matter only for outputs).
  if (grouped || !outputs) {
    std::vector<GemmJob>().swap(prog.op.jobs);
    std::vector<JobProgram>().swap(prog.jobs);
    std::vector<ControllerSetup::TileJobs>().swap(prog.tiles);
  } else if (!prog.tiles.empty()) {
    // A tiled node runs its tiles' jobs; of its own, only the bias-only ones (K = 0) are read.
    std::vector<GemmJob> bias_only;
    for (GemmJob& job : prog.op.jobs)
      if (job.g.K == 0) bias_only.push_back(std::move(job));
    prog.op.jobs = std::move(bias_only);
    std::vector<JobProgram>().swap(prog.jobs);
  }
  prog.fast_ready = true;
}

void Controller::prepare_width(int k) {
  const Network& net = s_->qn.net;
  net.check_width(k);
  // program() prepares what a run executes (fast mode: the per-tile sums and output kernels too).
  for (std::size_t i = 0; i < net.layers.size(); ++i)
    if (net.layers[i].has_weights()) program(i, k);
}

void Controller::build_tiles(std::size_t i, int k, LayerProgram& prog) {
  const NodeTiling& nt = tiling(i, k);
  if (!nt.tiled()) return;
  const Layer& l = s_->qn.net.layers[i];
  const LayerOperands& op = prog.op;
  const std::int64_t W = l.kind == LayerKind::Fc ? 1 : l.out.w;
  // The jobs with array work (a bias-only job is written once for the whole node).
  std::vector<std::size_t> work;
  for (std::size_t j = 0; j < op.jobs.size(); ++j)
    if (op.jobs[j].g.K > 0) work.push_back(j);
  const bool per_job = l.groups > 1;  // a grouped conv's weight tiles are ranges of its jobs (as the mapper)
  for (const NodeTile& tile : nt.tiles) {
    ControllerSetup::TileJobs tj;
    const std::int64_t m0 = l.kind == LayerKind::Fc ? 0 : tile.oy0 * W;
    const std::int64_t m1 = l.kind == LayerKind::Fc ? 1 : tile.oy1 * W;
    tj.m0 = m0;
    if (per_job) {
      const auto [j0, j1] = TilePlan::split(std::int64_t(work.size()), nt.weight_tiles, tile.weight_tile);
      for (std::int64_t w = j0; w < j1; ++w) {
        const GemmJob& job = op.jobs[work[std::size_t(w)]];
        tj.jobs.push_back(slice_job(job, m0, m1, 0, job.g.N));
      }
    } else if (!work.empty()) {
      const GemmJob& job = op.jobs[work[0]];
      const auto [n0, n1] = TilePlan::column_range(job.g.N, s_->arch.cols, nt.weight_tiles, tile.weight_tile);
      if (n1 > n0) tj.jobs.push_back(slice_job(job, m0, m1, n0, n1));
    }
    // A tile's jobs cover the same output pixels: one copy of their window origins.
    for (std::size_t j = 1; j < tj.jobs.size(); ++j)
      if (*tj.jobs[j].x.oy0 == *tj.jobs[0].x.oy0 && *tj.jobs[j].x.ox0 == *tj.jobs[0].x.ox0)
        tj.jobs[j].x.oy0 = tj.jobs[0].x.oy0, tj.jobs[j].x.ox0 = tj.jobs[0].x.ox0;
    tj.progs.resize(tj.jobs.size());
    for (std::size_t j = 0; j < tj.jobs.size(); ++j)
      tj.progs[j].prog = s_->dataflow.program(tj.jobs[j], s_->arch, weight_sram->layout());
    prog.tiles.push_back(std::move(tj));
  }
}

template <class Compute>
std::int64_t Controller::run_tiles(const NodeTiling& nt, LayerCounters& c, const Compute& compute) {
  IDram& d = *dram[0];
  const dram::DramStats before = d.stats();
  const std::size_t T = nt.tiles.size();
  const std::int64_t start = now_;
  std::vector<DmaTicket>& loads = loads_;
  std::vector<DmaTicket>& stores = stores_;
  loads.assign(T, DmaTicket{});
  stores.assign(T, DmaTicket{});
  std::int64_t end = start, busy = 0;
  loads[0] = d.issue(nt.tiles[0].loads, start);
  for (std::size_t t = 0; t < T; ++t) {
    // Tile t starts when its inputs arrived and its output half is free (tile t − 2 stored).
    std::int64_t ready = d.completion(loads[t], end);
    if (t >= 2) ready = std::max(ready, d.completion(stores[t - 2], end));
    advance(ready - end);
    if (t + 1 < T) loads[t + 1] = d.issue(nt.tiles[t + 1].loads, ready);
    const std::int64_t cycles = compute(t);
    busy += cycles;
    end = ready + cycles;
    stores[t] = d.issue(nt.tiles[t].stores, end);
  }
  // The node ends when its last outputs are in DRAM.
  std::int64_t done = end;
  for (std::size_t t = T >= 2 ? T - 2 : 0; t < T; ++t) done = std::max(done, d.completion(stores[t], end));
  advance(done - end);
  d.settle(done);
  const dram::DramStats& after = d.stats();
  c.dram_activates += after.activates - before.activates;
  c.dram_precharges += after.precharges - before.precharges;
  c.dram_read_bursts += after.reads - before.reads;
  c.dram_write_bursts += after.writes - before.writes;
  c.dram_refreshes += after.refreshes - before.refreshes;
  c.dram_active_standby_cycles += (after.active_standby_cycles + after.refreshing_cycles) -
                                  (before.active_standby_cycles + before.refreshing_cycles);
  c.dram_precharge_standby_cycles += after.precharge_standby_cycles - before.precharge_standby_cycles;
  c.dram_active_powerdown_cycles += after.active_powerdown_cycles - before.active_powerdown_cycles;
  c.dram_precharge_powerdown_cycles += after.precharge_powerdown_cycles - before.precharge_powerdown_cycles;
  c.dram_self_refresh_cycles += after.self_refresh_cycles - before.self_refresh_cycles;
  c.dram_read_bytes += nt.dram.reads();
  c.dram_write_bytes += nt.dram.outputs;
  c.compute_cycles += busy;
  c.dram_stall_cycles += (done - start) - busy;
  c.row_tiles += nt.row_tiles;
  c.weight_tiles += nt.weight_tiles;
  // The DMA writes loaded activations into the buffer and reads stored ones out of it (one
  // access per activation; the classifier's logits are int32).
  const std::int64_t act_bytes = s_->arch.precision / 8;
  c.act_writes += (nt.dram.inputs + nt.dram.residuals) / act_bytes;
  return done - start;
}

LayerRun Controller::run_gemm_layer(std::size_t i, int k) {
  const ArchParams& arch = s_->arch;
  const AccelOptions& opts = s_->opts;
  const Layer& l = s_->qn.net.layers[i];
  const std::vector<std::int32_t>& in = act_buffer->tensor(l.in_ids[0]);
  LayerProgram& prog = program(i, k);
  const LayerOperands& op = prog.op;
  const NodeTiling& nt = tiling(i, k);
  const bool fast = opts.mode == ExecMode::Fast;
  const std::int64_t R = arch.rows, C = arch.cols, M = op.M, N = op.N;
  LayerRun lr;
  LayerCounters& c = lr.counters;
  c.layer = l.name;
  weight_sram->begin_layer(c);
  // Non-resident weights are written into the SRAM's staging area each time they are fetched.
  for (int f = 0; f < nt.weight_fetches; ++f) weight_sram->refill(i, k);

  const bool outputs = (opts.mode == ExecMode::PerCycle || opts.compute_outputs) && !in.empty();
  std::vector<std::int32_t>& acc = acc_;
  // Fast mode writes a node's sums channel-major straight into its output tensor (every value:
  // the jobs, or tiles, cover every pixel and channel) and finishes them there; a grouped conv's
  // come from one kernel for the whole node (its timing does not depend on them).
  std::int32_t* y = nullptr;
  if (fast) {
    acc.clear();  // (timing-only: the empty accumulators finish() turns into an empty output)
    if (outputs) {
      std::vector<std::int32_t>& out = act_buffer->output_overwritten(int(i), std::size_t(M * N));
      if (prog.grouped) prog.grouped->outputs(in, out);
      y = out.data();
    }
    // Outputs whose inputs are all inactive at this width: the biases alone (added by finish).
    if (outputs && !prog.grouped)
      for (const GemmJob& job : op.jobs)
        if (job.g.K == 0)
          for (const int n : job.out_pos) std::fill_n(y + std::int64_t(n) * M, M, 0);
  } else {
    acc.assign(outputs ? std::size_t(M * N) : 0, 0);
    for (const GemmJob& job : op.jobs)
      if (job.g.K == 0 && outputs)
        for (std::int64_t m = 0; m < M; ++m)
          for (std::int64_t n = 0; n < job.g.N; ++n) acc[std::size_t(m * N + job.out_pos[std::size_t(n)])] = job.bias[std::size_t(n)];
  }
  // Each tile's jobs run one after the other (a grouped conv: one per channel group); an untiled
  // node is one tile of the node's own jobs.
  const std::int64_t cycles = run_tiles(nt, c, [&](std::size_t t) {
    if (fast) {
      // The tile's closed-form sums; the outputs of its jobs (a dense node's) from their GEMMs.
      const ControllerSetup::FastTile& ft = prog.fast_tiles[t];
      c += *ft.counters;
      lr.jobs += int(ft.jobs);
      if (outputs && !prog.grouped) {
        if (prog.tiles.empty()) {
          for (std::size_t j = 0; j < op.jobs.size(); ++j)
            if (op.jobs[j].g.K > 0) fast_job_outputs(op.jobs[j], prog.jobs[j], in, y, M, 0);
        } else {
          const ControllerSetup::TileJobs& tj = prog.tiles[t];
          for (std::size_t j = 0; j < tj.jobs.size(); ++j) fast_job_outputs(tj.jobs[j], tj.progs[j], in, y, M, tj.m0);
        }
      }
      advance(ft.advance);
      return ft.cycles;
    }
    std::int64_t array_cycles = 0;
    if (prog.tiles.empty()) {
      for (std::size_t j = 0; j < op.jobs.size(); ++j) {
        if (op.jobs[j].g.K == 0) continue;
        array_cycles += run_job(i, op.jobs[j], prog.jobs[j], lr.jobs == 0, in, outputs, acc, M, N, 0, c);
        ++lr.jobs;
      }
    } else {
      ControllerSetup::TileJobs& tj = prog.tiles[t];
      for (std::size_t j = 0; j < tj.jobs.size(); ++j) {
        array_cycles += run_job(i, tj.jobs[j], tj.progs[j], lr.jobs == 0, in, outputs, acc, M, N, tj.m0, c);
        ++lr.jobs;
      }
    }
    return array_cycles;
  });

  lr.dram = nt.dram;
  lr.weights_outer = nt.weights_outer;
  lr.dram_peak_cycles = std::int64_t(std::ceil(double(nt.dram.total()) / peak_bytes_per_cycle()));
  c.cycles = cycles;
  c.controller_cycles = c.cycles;
  c.pe_idle_cycles = R * C * c.cycles - c.pe_active_cycles - c.pe_gated_cycles;
  c.postproc_ops = M * N;
  if (op.post.scale) c.postproc_mults = M * N;
  c.act_writes += M * N;
  // The DMA reads the stored outputs back out of the buffer.
  c.act_reads += nt.dram.outputs / (op.post.classifier ? 4 : arch.precision / 8);
  weight_sram->hold_bank_states(k, c.cycles);
  lr.utilization = c.cycles > 0 ? double(c.macs) / double(R * C * c.cycles) : 0.0;
  // The finished accumulators leave through the post-processing unit into the activation
  // buffer (timing-only runs: nothing to write).
  if (y)
    post_proc->finish_in_place(int(i), M, N, op.post, prog.grouped ? nullptr : prog.fast_bias.data());
  else
    post_proc->finish(int(i), acc, M, N, op.post);
  return lr;
}

}  // namespace rcsim
