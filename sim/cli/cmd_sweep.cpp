// `rcsim sweep --spec S --out results.csv [--shard i/N] [--jobs N] [--mode fast|per-cycle]
// [--emit-slurm FILE]`: evaluates every design point of a sweep spec (each in its own `rcsim run`
// child process), resumably; see docs/sweeps.md.
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "sweep/accuracy_table.h"
#include "sweep/best.h"
#include "sweep/child_process.h"
#include "sweep/csv_table.h"
#include "sweep/result_columns.h"
#include "sweep/run_evaluator.h"
#include "sweep/slurm_script.h"
#include "sweep/sweep_driver.h"
#include "sweep/sweep_evaluators.h"
#include "sweep/sweep_worker.h"

namespace rcsim::cli {

namespace {

struct SweepCliOptions {
  std::string spec;
  std::string out;
  std::string shard = "0/1";
  int jobs = 0;
  std::string mode = "fast";
  std::string weights;
  std::string emit_slurm;
  int tasks = 8;
  std::string evaluator = "rcsim";
  std::vector<std::string> pareto;
  bool best = false;
  std::vector<std::string> where, objectives;
  int top = 1;
  int accuracy_images = 0;
  bool no_accuracy = false;
  long long max_points = static_cast<long long>(sweep::kDefaultMaxPoints);
};

std::string absolute(const std::string& p) {
  if (p.empty() || p[0] == '/') return p;
  char buf[PATH_MAX];
  if (!::getcwd(buf, sizeof buf)) return p;
  return std::string(buf) + "/" + p;
}

void run_sweep_command(const SweepCliOptions& o) {
  if (o.max_points < 1) throw InputError("--max-points must be ≥ 1");
  sweep::SweepSpec spec = sweep::load_sweep_spec(o.spec, std::size_t(o.max_points));
  if (!o.pareto.empty()) {
    spec.objectives.clear();
    for (const auto& p : o.pareto) spec.objectives.push_back(sweep::parse_objective(p));
  }
  // --best's question, checked before any work: the command line's constraints add to the spec's,
  // its objectives replace the spec's.
  sweep::BestQuery best = best_query(o.where, o.objectives, o.top);
  best.where.insert(best.where.begin(), spec.where.begin(), spec.where.end());
  if (best.objectives.empty()) best.objectives = spec.best_objectives;
  // A misspelt column fails now, not after the sweep.
  std::vector<std::string> asked;
  for (const auto& c : best.where) asked.push_back(c.column);
  for (const auto& ob : best.objectives) asked.push_back(ob.column);
  for (const auto& ob : spec.objectives) asked.push_back(ob.column);
  for (const auto& col : asked)
    if (!sweep::is_declared_column(col))
      throw InputError("'" + col + "' is not a column of a sweep result (rcsim info --fields sweep lists them)");
  if (!o.best && (!o.where.empty() || !o.objectives.empty()))
    throw InputError("--where and --objective ask for the best points: add --best (or use rcsim best on the CSV)");
  const int jobs = o.jobs > 0 ? o.jobs : int(std::max(1u, std::thread::hardware_concurrency()));
  if (!o.emit_slurm.empty()) {
    if (o.tasks < 1) throw InputError("--tasks must be ≥ 1");
    sweep::SlurmOptions s;
    s.rcsim = sweep::self_executable();
    // A shipped spec name stays a name; a file becomes absolute (tasks run elsewhere).
    s.spec = o.spec.find('/') != std::string::npos || ::access(o.spec.c_str(), F_OK) == 0 ? absolute(o.spec) : o.spec;
    s.out = absolute(o.out);
    s.mode = o.mode;
    s.weights = o.weights.empty() || o.weights == "random" ? o.weights : absolute(o.weights);
    s.tasks = o.tasks;
    s.cpus_per_task = o.jobs > 0 ? o.jobs : 2;
    // The options that change a row's columns or values travel with the tasks.
    if (o.no_accuracy) s.extra_args.push_back("--no-accuracy");
    if (o.accuracy_images) s.extra_args.push_back("--accuracy-images=" + std::to_string(o.accuracy_images));
    for (const auto& p : o.pareto) s.extra_args.push_back("--pareto=" + p);
    if (o.evaluator != "rcsim") s.extra_args.push_back("--evaluator=" + o.evaluator);
    sweep::write_file_atomic(o.emit_slurm, sweep::slurm_script(s));
    std::cout << "wrote " << o.emit_slurm << ": " << o.tasks << " array tasks over " << spec.points.size()
              << " points of sweep " << spec.name << "\n";
    return;
  }
  sweep::SweepOptions so;
  so.out = o.out;
  so.shard = sweep::parse_shard(o.shard);
  so.jobs = jobs;
  so.progress = ::isatty(2) != 0;
  const bool synthetic = o.evaluator.rfind("sleep:", 0) == 0;
  so.expect = {{"evaluator", synthetic ? "sleep" : "rcsim"}};
  if (!synthetic) so.expect.emplace_back("mode", o.mode);
  sweep::SweepEvaluatorOptions eo;
  eo.evaluator = o.evaluator;
  eo.mode = o.mode;
  eo.weights = o.weights;
  eo.accuracy_images = o.accuracy_images;
  eo.accuracy = !o.no_accuracy;
  const sweep::Evaluator eval = sweep::make_sweep_evaluator(eo);
  const sweep::SweepResult r = sweep::run_sweep(spec, eval, so);
  if (r.dropped)
    std::cerr << "rcsim: note: dropped " << r.dropped << " rows of " << o.out
              << " whose points are not in this sweep/shard\n";
  std::cout << "sweep " << spec.name << " shard " << so.shard.index << "/" << so.shard.count << ": "
            << r.points << " points, " << r.already_done << " already done, " << r.evaluated
            << " evaluated";
  if (r.evaluated && r.seconds > 0)
    std::cout << " in " << r.seconds << " s (" << double(r.evaluated) / r.seconds << " points/s, "
              << jobs << " jobs)";
  std::cout << ", " << r.errors << " invalid; wrote " << o.out << "\n";
  // The weight SRAM of some points cannot hold the full-width network: said once per sweep.
  const sweep::CsvTable result = sweep::read_csv(o.out);
  if (const int c = result.column("wsram_holds_full_width"); c >= 0) {
    std::size_t short_points = 0;
    for (const auto& row : result.rows) short_points += row[std::size_t(c)] == "0";
    if (short_points)
      std::cerr << "rcsim: warning: " << short_points << " of " << result.rows.size()
                << " points have a weight SRAM that cannot hold the full-width network (wsram_holds_full_width=0): "
                   "widened to full width, their weights stream from DRAM on every inference\n";
  }
  if (o.best) std::cout << sweep::best_report(result, best);
  if (r.failures)
    throw std::runtime_error(std::to_string(r.failures) + " points failed and were not recorded (first: " +
                             r.first_failure + "); rerun the same command to retry them");
}

}  // namespace

void add_sweep_command(CommandLine& cl) {
  auto o = std::make_shared<SweepCliOptions>();
  Command cmd = cl.add("sweep", "Evaluate every design point of a sweep spec (resumable)");
  cmd.option("--spec", o->spec, "Sweep spec YAML, or a shipped spec name (workloads/sweeps)").required();
  cmd.option("--out", o->out, "Result CSV (OUT.journal holds progress while running)").required();
  cmd.option("--shard", o->shard, "Run only shard i of N (0 ≤ i < N), e.g. 2/8").show_default();
  cmd.option("--jobs,-j", o->jobs, "Parallel points (0 = all cores)").show_default();
  cmd.option("--mode", o->mode, "Accelerator execution mode")
      .one_of({"fast", "per-cycle"}).show_default();
  cmd.option("--weights", o->weights, "Weights file for the accuracy column (default: the network's trained default)");
  cmd.option("--pareto", o->pareto, "Pareto objectives COLUMN:min|max (default energy_j:min accuracy:max)");
  cmd.flag("--best", o->best, "After the sweep, print the best points under --where (and the spec's where:) with why");
  cmd.option("--where", o->where, "Constraint of --best: COLUMN OP VALUE, OP one of < <= > >= = == != (repeatable)");
  cmd.option("--objective", o->objectives,
             "Ranking of --best: COLUMN:min|max (repeatable, later ones break ties; default: the spec's objectives, "
             "else energy_j:min)");
  cmd.option("--top", o->top, "Winners --best lists per network").show_default();
  cmd.option("--accuracy-images", o->accuracy_images, "Test images for the accuracy column (0 = all)")
      .show_default();
  cmd.flag("--no-accuracy", o->no_accuracy, "Leave out the accuracy column");
  cmd.option("--max-points", o->max_points, "Refuse a spec that expands to more points than this").show_default();
  cmd.option("--emit-slurm", o->emit_slurm, "Write an sbatch job-array script instead of running");
  cmd.option("--tasks", o->tasks, "Array tasks (shards) for --emit-slurm").show_default();
  // Test evaluator (documented in docs/sweeps.md): sleep:MS returns synthetic numbers after MS ms.
  cmd.option("--evaluator", o->evaluator, "rcsim (default), rcsim-run, or sleep:MS (synthetic, for tests)").hidden();
  cmd.action([o] { run_sweep_command(*o); });

  // Internal: the worker process a sweep thread talks to (see sim/sweep/sweep_worker.h).
  auto w = std::make_shared<sweep::PointEvalOptions>();
  Command worker = cl.add("sweep-worker", "Internal: evaluate design points read from stdin");
  worker.hidden();
  worker.option("--mode", w->mode).one_of({"fast", "per-cycle"});
  worker.option("--weights", w->weights);
  worker.action([w] { sweep::sweep_worker_main(std::cin, std::cout, *w); });
}

}  // namespace rcsim::cli
